// npm run check:size: every public entry, min+gzip with its dependencies external, against bench/budgets.json.
// No timings: the same tree gives the same bytes, so CI can gate on it. Exits 1 when an entry is over budget.
import { measurePublicEntries, readSizeConfig } from './bundleSize'
import { judgeSizes, kib } from './sizeBudget'
import { formatTable } from './table'

const config = readSizeConfig()
const report = judgeSizes(await measurePublicEntries(config), config.budgetsKiB)

console.log(`Bundle size of each public entry (${config.measure})\n`)
console.log(
  formatTable(
    ['entry', 'minified', 'min+gzip', 'budget', 'verdict'],
    report.entries.map(({ entry, minified, gzip, budget, verdict }) => [
      entry,
      kib(minified),
      kib(gzip),
      budget === null ? '-' : kib(budget),
      verdict === 'over' ? `OVER by ${kib(gzip - budget!)}` : verdict,
    ]),
  ),
)
for (const entry of report.unknownBudgets) console.error(`\nbench/budgets.json has a budget for ${entry}, which no package exports`)
if (!report.ok) {
  console.error('\ncheck:size failed: an entry is over its budget (or a budget names no entry).')
  process.exit(1)
}
console.log('\ncheck:size passed.')
