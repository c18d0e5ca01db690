import type { MockClock } from './types'

export interface ServerClock extends MockClock {
  /** Server time in whole epoch seconds, as JWT claims count it. */
  nowSeconds(): number
}

export function createClock(): ServerClock {
  let offsetMs = 0
  // Date.now() is read at every call, so vitest fake timers and `advance` compose.
  const now = () => Date.now() + offsetMs
  return {
    now,
    nowSeconds: () => Math.floor(now() / 1000),
    advance(seconds) {
      if (typeof seconds !== 'number' || !Number.isFinite(seconds) || seconds < 0) {
        throw new RangeError(`clock.advance(seconds) needs a finite number >= 0, got ${String(seconds)}`)
      }
      offsetMs += seconds * 1000
    },
    reset() {
      offsetMs = 0
    },
  }
}
