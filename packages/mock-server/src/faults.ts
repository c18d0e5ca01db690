import type { MockFaults, RefreshFaultKind } from './types'

export interface FaultControl {
  readonly api: MockFaults
  /** The fault for the refresh request being handled now, if one is queued (and consumes it). */
  takeRefreshFault(): RefreshFaultKind | undefined
  /** Waits for the configured latency, if any. */
  applyLatency(): Promise<void>
}

export function createFaults(): FaultControl {
  const queue: RefreshFaultKind[] = []
  let latencyMs = 0

  const api: MockFaults = {
    failNextRefresh(kind, count = 1) {
      assertFaultKind(kind)
      if (!Number.isInteger(count) || count < 1) {
        throw new RangeError(`faults.failNextRefresh(kind, count) needs an integer count >= 1, got ${String(count)}`)
      }
      for (let i = 0; i < count; i++) queue.push(kind)
    },
    latency(ms) {
      if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) {
        throw new RangeError(`faults.latency(ms) needs a finite number >= 0, got ${String(ms)}`)
      }
      latencyMs = ms
    },
    clear() {
      queue.length = 0
      latencyMs = 0
    },
  }

  return {
    api,
    takeRefreshFault: () => queue.shift(),
    applyLatency() {
      if (latencyMs === 0) return Promise.resolve()
      const ms = latencyMs
      // setTimeout is looked up now, not at load, so fake timers installed later still drive the delay.
      return new Promise((resolve) => globalThis.setTimeout(resolve, ms))
    },
  }
}

function assertFaultKind(kind: RefreshFaultKind): void {
  if (kind === 'network' || kind === 'bad-json') return
  if (typeof kind === 'number' && Number.isInteger(kind) && kind >= 400 && kind <= 599) return
  throw new RangeError(
    `faults.failNextRefresh(kind) needs 'network', 'bad-json' or an HTTP status 400-599, got ${String(kind)}`,
  )
}
