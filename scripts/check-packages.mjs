// `npm run check:package`: publint (strict) and are-the-types-wrong on every published package.
// Fails on any error, so a broken exports map or a types/format mismatch never reaches npm.
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'

const root = new URL('../', import.meta.url)
const packages = readdirSync(new URL('packages/', root))
const bin = (name) => new URL(`node_modules/.bin/${name}`, root).pathname
let failed = 0

const attw = ['attw', ['--pack', '.', '--profile', 'node16', '--format', 'table-flipped']]
// Browser-only entries refuse Node on purpose (`"node": null`, as msw/browser does). TypeScript under node16
// resolution steps past that null to the next condition, which attw reports as "fallback condition": the
// entry is checked alone with that one rule off, so every other problem in it still fails the check.
const BROWSER_ONLY = { 'mock-server': ['./browser'] }

for (const name of packages) {
  const cwd = new URL(`packages/${name}/`, root).pathname
  const browserOnly = BROWSER_ONLY[name] ?? []
  const checks = [['publint', ['--strict']]]
  if (browserOnly.length === 0) checks.push(attw)
  else {
    checks.push([attw[0], [...attw[1], '--exclude-entrypoints', ...browserOnly]])
    checks.push([attw[0], [...attw[1], '--entrypoints', ...browserOnly, '--ignore-rules', 'fallback-condition']])
  }
  for (const [tool, args] of checks) {
    console.log(`\n== ${tool} @tokenrail/${name}`)
    try {
      execFileSync(bin(tool), args, { cwd, stdio: 'inherit' })
    } catch {
      failed++
      console.error(`!! ${tool} failed for @tokenrail/${name}`)
    }
  }
}
if (failed) {
  console.error(`\n${failed} package check(s) failed`)
  process.exit(1)
}
console.log('\nall package checks passed')
