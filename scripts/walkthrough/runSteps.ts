import { fit, WIDTH, type Paint, type Style } from './terminal'

/** A step that did not behave as the walkthrough promised; its message says what was expected and what happened. */
export class StepFailure extends Error {
  override readonly name = 'StepFailure'
}

/** Fails the running step with `message` unless `condition` holds. */
export function expectThat(condition: boolean, message: string): asserts condition {
  if (!condition) throw new StepFailure(message)
}

export type Segment = string | readonly [Style, string]

export interface Printer {
  /** One line, cut to the terminal width; segments may carry a style. */
  line(...segments: Segment[]): void
  blank(): void
}

export function createPrinter(write: (text: string) => void, paint: Paint, width = WIDTH): Printer {
  return {
    line(...segments) {
      let room = width
      let out = ''
      for (const segment of segments) {
        const [style, text] = typeof segment === 'string' ? [undefined, segment] : segment
        const shown = text.length <= room ? text : fit(text, room)
        room -= shown.length
        out += style ? paint(style, shown) : shown
        if (room <= 0) break
      }
      write(`${out}\n`)
    },
    blank: () => write('\n'),
  }
}

export interface Step<Context> {
  title: string
  run(context: Context, out: Printer): Promise<void>
}

export interface StepsResult {
  passed: number
  /** The step that failed, numbered from 1, with why; undefined when every step behaved. */
  failed?: { number: number; title: string; reason: string }
}

/** Runs the steps in order and stops at the first that fails: each step builds on the state the last one left. */
export async function runSteps<Context>(steps: readonly Step<Context>[], context: Context, out: Printer): Promise<StepsResult> {
  for (const [index, step] of steps.entries()) {
    const number = index + 1
    out.line(['bold', `${String(number).padStart(2)}. ${step.title}`])
    try {
      await step.run(context, out)
    } catch (error) {
      const reason = error instanceof Error ? `${error instanceof StepFailure ? '' : `${error.name}: `}${error.message}` : String(error)
      out.line('    ', ['red', `✗ ${reason}`])
      return { passed: index, failed: { number, title: step.title, reason } }
    }
    out.blank()
  }
  return { passed: steps.length }
}
