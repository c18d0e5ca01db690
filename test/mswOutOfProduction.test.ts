// The mock server README's browser start-up keeps msw and the mock server out of a production build:
// `import.meta.env.DEV` is false there, and Vite drops the branch with its dynamic import. The README's own
// `src/main.tsx` block is built, beside a small app module; a development build of the same app shows the check
// can see them when they are there.
import { cp, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { sourceAliases } from '../vitest.config'

const fixture = fileURLToPath(new URL('./fixtures/dev-only-mock/', import.meta.url))
const readme = fileURLToPath(new URL('../packages/mock-server/README.md', import.meta.url))
const out = await mkdtemp(join(tmpdir(), 'tokenrail-dev-only-mock-'))
const app = join(out, 'app')
afterAll(() => rm(out, { recursive: true, force: true }))

beforeAll(async () => {
  const main = /```ts\n\/\/ src\/main\.tsx\n([\s\S]*?)```/.exec(await readFile(readme, 'utf8'))?.[1]
  if (!main) throw new Error('no `// src/main.tsx` block in the mock server README')
  await cp(fixture, app, { recursive: true })
  await writeFile(join(app, 'src/main.tsx'), main)
})

/** Every JavaScript file of the app built in `mode`, concatenated. */
async function builtCode(mode: 'production' | 'development'): Promise<{ files: string[]; code: string }> {
  const outDir = join(out, mode)
  // Vite derives import.meta.env.DEV from NODE_ENV, which `vite build` sets to production unless it is set
  // already, and vitest sets it to 'test': set it as a plain `vite build` (or `--mode development`) would.
  const nodeEnv = process.env.NODE_ENV
  process.env.NODE_ENV = mode
  try {
    await build({ root: app, configFile: false, mode, logLevel: 'silent', resolve: { alias: sourceAliases }, build: { outDir, emptyOutDir: true } })
  } finally {
    process.env.NODE_ENV = nodeEnv
  }
  const files = (await readdir(join(outDir, 'assets'))).filter((file) => file.endsWith('.js'))
  const code = (await Promise.all(files.map((file) => readFile(join(outDir, 'assets', file), 'utf8')))).join('\n')
  return { files, code }
}

// What msw's browser code and the mock server always contain.
const MSW = /mockServiceWorker|MOCK_ACTIVATE|createMockAuthServer|invalid_grant/

describe('msw in a Vite app, started the README way', () => {
  it('is left out of the production build: the entry and the app chunk, nothing else', async () => {
    const { files, code } = await builtCode('production')
    expect(files.map((file) => file.replace(/-[\w-]+\.js$/, ''))).toEqual(['app', 'index'])
    expect(code).toContain('/auth/refresh')
    expect(code).not.toMatch(MSW)
  }, 60_000)

  it('is in a development build, in chunks of its own', async () => {
    const { files, code } = await builtCode('development')
    expect(files.length).toBeGreaterThan(1)
    expect(code).toMatch(MSW)
  }, 60_000)
})
