import type { BackendName } from './backend.js'
import { LIBRARIES, type LibraryName } from './client.js'
import type { StepResult } from './steps.js'

/** One library's results on one backend, as the matrix test records them for the reporter. */
export interface InteropCell {
  backend: BackendName
  title: string
  notes: string[]
  library: LibraryName
  /** What the library does, for the notes under the table. */
  libraryNotes: string[]
  results: StepResult[]
}

declare module 'vitest' {
  interface TaskMeta {
    /** What the interop matrix saw for one library on one backend, for the table the reporter prints. */
    interop?: InteropCell
  }
}

const cell = (result: StepResult | undefined) => {
  if (!result) return 'error: did not run'
  // The servers' ports change from run to run; the table should not.
  const reason = result.reason.replace(/https?:\/\/127\.0\.0\.1:\d+/g, '').replace(/\|/g, '\\|').replace(/\s+/g, ' ')
  return result.status === 'pass' ? 'pass' : result.status === 'not configured' ? 'not configured' : `${result.status}: ${reason}`
}

/** The whole table in markdown: one row per backend and step, one column per library, then each backend's notes. */
export function interopMarkdown(cells: InteropCell[], header = ''): string {
  const libraryNotes = Object.fromEntries(cells.filter((each) => each.libraryNotes.length).map((each) => [each.library, each.libraryNotes]))
  const backends = [...new Map(cells.map((each) => [each.backend, each])).values()]
  const lines = [
    header,
    `| backend | step | ${LIBRARIES.join(' | ')} |`,
    `| --- | --- | ${LIBRARIES.map(() => '---').join(' | ')} |`,
  ]
  for (const backend of backends) {
    const mine = cells.filter((each) => each.backend === backend.backend)
    const steps = mine[0]?.results.map((result) => result.step) ?? []
    for (const step of steps) {
      const row = LIBRARIES.map((library) => cell(mine.find((each) => each.library === library)?.results.find((result) => result.step === step)))
      lines.push(`| ${backend.backend} | ${step} | ${row.join(' | ')} |`)
    }
  }
  lines.push('', '## Backends', '')
  for (const backend of backends) {
    lines.push(`- **${backend.backend}**: ${backend.title}`)
    for (const note of backend.notes) lines.push(`  - ${note}`)
  }
  if (Object.keys(libraryNotes).length) {
    lines.push('', '## Libraries', '')
    for (const [library, notes] of Object.entries(libraryNotes)) {
      lines.push(`- **${library}**`)
      for (const note of notes) lines.push(`  - ${note}`)
    }
  }
  return `${lines.join('\n').trim()}\n`
}

/** Every backend and step, a mark per library (the reasons are in results.md): for the root README. */
export function interopMarks(cells: InteropCell[]): string {
  const mark = (result: StepResult | undefined) => (result?.status === 'pass' ? '✓' : result?.status === 'n/a' ? '–' : '✗')
  const lines = [`| backend | step | ${LIBRARIES.join(' | ')} |`, `| --- | --- | ${LIBRARIES.map(() => ':-:').join(' | ')} |`]
  for (const backend of [...new Set(cells.map((each) => each.backend))]) {
    const mine = cells.filter((each) => each.backend === backend)
    for (const step of mine[0]?.results.map((result) => result.step) ?? []) {
      const row = LIBRARIES.map((library) => mark(mine.find((each) => each.library === library)?.results.find((result) => result.step === step)))
      lines.push(`| ${backend} | ${step} | ${row.join(' | ')} |`)
    }
  }
  return `${lines.join('\n')}\n`
}

/**
 * The same run in short, for the root README: for each step, on how many of the backends it applies to each
 * library passed it (the full table, with every reason, is results.md).
 */
export function interopSummary(cells: InteropCell[]): string {
  const steps = [...new Set(cells.flatMap((each) => each.results.map((result) => result.step)))]
  const lines = [`| step | ${LIBRARIES.join(' | ')} |`, `| --- | ${LIBRARIES.map(() => '--:').join(' | ')} |`]
  for (const step of steps) {
    const counts = LIBRARIES.map((library) => {
      const results = cells.filter((each) => each.library === library).flatMap((each) => each.results.filter((result) => result.step === step))
      const applicable = results.filter((result) => result.status !== 'n/a')
      return `${applicable.filter((result) => result.status === 'pass').length} of ${applicable.length}`
    })
    lines.push(`| ${step} | ${counts.join(' | ')} |`)
  }
  return `${lines.join('\n')}\n`
}
