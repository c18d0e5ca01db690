import type { Reporter, TestModule } from 'vitest/node'
import type { FaultRow } from './faultMatrix'

const COLUMNS: [keyof FaultRow | 'result', string][] = [
  ['point', 'point of the flow'],
  ['fault', 'fault'],
  ['adapter', 'adapter'],
  ['caller', 'the caller got'],
  ['state', 'client after'],
  ['events', 'events'],
  ['result', ''],
]

/**
 * Prints the fault-injection matrix as a table after the run (`npm run test:faults`): what each row
 * observed, and what it expected where the two differ.
 */
export default class FaultTableReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const rows = testModules.flatMap((module) =>
      [...module.children.allTests()].flatMap((test) => {
        const row = test.meta().faultRow
        if (!row) return []
        const passed = test.result().state === 'passed'
        const { expected } = row
        const result = passed ? 'ok' : `FAILED, expected: ${expected.caller} / ${expected.state} / ${expected.events || '-'}`
        return [{ ...row, events: row.events || '-', result }]
      }),
    )
    if (!rows.length) return
    const width = COLUMNS.map(([key, title]) => Math.max(title.length, ...rows.map((row) => String(row[key]).length)))
    const line = (cells: string[]) => `| ${cells.map((cell, index) => cell.padEnd(width[index] ?? 0)).join(' | ')} |`
    const table = [
      line(COLUMNS.map(([, title]) => title)),
      line(width.map((size) => '-'.repeat(size))),
      ...rows.map((row) => line(COLUMNS.map(([key]) => String(row[key])))),
    ]
    process.stdout.write(`\nFault injection: each fault at each point of the flow (${rows.length} rows)\n\n${table.join('\n')}\n`)
  }
}
