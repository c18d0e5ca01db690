// `npm run check:package`: publint (strict) and are-the-types-wrong on every published package.
// Fails on any error, so a broken exports map or a types/format mismatch never reaches npm.
import { execFileSync } from 'node:child_process'
import { readdirSync } from 'node:fs'

const root = new URL('../', import.meta.url)
const packages = readdirSync(new URL('packages/', root))
const bin = (name) => new URL(`node_modules/.bin/${name}`, root).pathname
let failed = 0

for (const name of packages) {
  const cwd = new URL(`packages/${name}/`, root).pathname
  for (const [tool, args] of [
    ['publint', ['--strict']],
    ['attw', ['--pack', '.', '--profile', 'node16', '--format', 'table-flipped']],
  ]) {
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
