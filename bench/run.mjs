#!/usr/bin/env node
// Runs a bench/*.ts entry with no build step: esbuild bundles it into bench/.out and Node runs the bundle.
// `@tokenrail/*` imports resolve to packages/*/src through the root tsconfig's `paths` (the same mapping tsc and
// vitest use), so the benchmark measures the source in the working tree; every other package stays external
// and loads from node_modules.
//   node bench/run.mjs bench        the benchmarks (npm run bench)
//   node bench/run.mjs checkSize    the size budgets (npm run check:size)
// BENCH_NODE_FLAGS='--cpu-prof' (or --enable-source-maps, left out by default: it slows every error's stack) adds
// flags to the Node process that runs the bundle.
import { spawnSync } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { build } from 'esbuild'

const root = fileURLToPath(new URL('..', import.meta.url))
const [name, ...args] = process.argv.slice(2)
if (!name || !/^\w+$/.test(name)) {
  console.error('usage: node bench/run.mjs <entry in bench/, e.g. bench or checkSize> [args]')
  process.exit(2)
}

const outfile = `${root}bench/.out/${name}.mjs`
await build({
  entryPoints: [`${root}bench/${name}.ts`],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  sourcemap: 'linked',
  logLevel: 'warning',
})

// A child process, so that the entry can be given Node flags (--cpu-prof) and can spawn itself with others.
const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []
const result = spawnSync(process.execPath, [...flags, outfile, ...args], { cwd: root, stdio: 'inherit' })
process.exit(result.status ?? 1)
