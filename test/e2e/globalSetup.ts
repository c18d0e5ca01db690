import { access, constants, mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import type { TestProject } from 'vitest/node'
import { CHROMIUM } from './browser'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The React example built for `tokenrail-mock-server --static` and with the msw service worker. */
    exampleBuilds: { server: string; worker: string }
  }
}

const exampleRoot = fileURLToPath(new URL('../../examples/react', import.meta.url))

async function assertChromium(): Promise<void> {
  try {
    await access(CHROMIUM, constants.X_OK)
  } catch {
    // A missing browser fails the run: browser tests that skip would pass without testing anything.
    throw new Error(`No Chromium at ${CHROMIUM}. Install it with: apt-get install -y chromium`)
  }
}

async function buildExample(mode: 'production' | 'worker', outDir: string): Promise<void> {
  // As `npm run build` builds it: vitest sets NODE_ENV to 'test', which would give React's development build
  // (and StrictMode's double effects) instead of what a user serves.
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = 'production'
  try {
    await build({
      root: exampleRoot,
      configFile: join(exampleRoot, 'vite.config.ts'),
      mode,
      logLevel: 'warn',
      build: { outDir, emptyOutDir: true },
    })
  } finally {
    process.env.NODE_ENV = nodeEnv
  }
}

export default async function setup(project: TestProject) {
  await assertChromium()
  const dir = await mkdtemp(join(tmpdir(), 'tokenrail-e2e-'))
  const builds = { server: join(dir, 'server'), worker: join(dir, 'worker') }
  await buildExample('production', builds.server)
  await buildExample('worker', builds.worker)
  project.provide('exampleBuilds', builds)
  return () => rm(dir, { recursive: true, force: true })
}
