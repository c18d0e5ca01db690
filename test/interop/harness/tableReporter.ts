import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import type { Reporter, TestModule } from 'vitest/node'
import { interopMarkdown, interopMarks, interopSummary, type InteropCell } from './table.js'

const RESULTS = fileURLToPath(new URL('../results.md', import.meta.url))

/**
 * Prints the interop table after the run (`npm run test:interop`) and writes it to test/interop/results.md: for
 * each backend and step, what each library did. A run that did not reach the matrix (a filtered run) writes nothing.
 */
export default class InteropTableReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>) {
    const cells = testModules.flatMap((module) =>
      [...module.children.allTests()].flatMap((test): InteropCell[] => {
        const cell = test.meta().interop
        return cell ? [cell] : []
      }),
    )
    if (!cells.length) return
    const header = [
      '# Interop: tokenrail and its peers against real auth servers',
      '',
      'Written by `npm run test:interop` (test/interop). Each cell is one step run by one library on one backend, with a',
      'fresh login; "not configured" means the library has no set-up for that backend yet.',
      '',
      '## In short: on how many backends each step passed',
      '',
      interopSummary(cells),
      '## Each backend, each step, in marks',
      '',
      interopMarks(cells),
      '## Each backend, each step',
      '',
    ].join('\n')
    const markdown = interopMarkdown(cells, header)
    writeFileSync(RESULTS, markdown)
    process.stdout.write(`\n${markdown}\n`)
  }
}
