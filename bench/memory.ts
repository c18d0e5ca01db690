import { bearerAxios, bearerFetch, tokenrailAxios, tokenrailFetch, type ClientSetup } from './clients'
import { runChild } from './childProcess'
import { createFakeServer } from './fakeServer'

export interface MemoryRow {
  name: string
  requests: number
  /** Refreshes the server performed during the run (tokens expired on the server every `expireEvery` requests). */
  refreshes: number
  failed: number
  heapBeforeKiB: number
  heapAfterKiB: number
  /**
   * Heap growth (after GC) over the second half of the run, per request. The first requests may still grow
   * caches and compiled code; a client that keeps something per request keeps growing in the second half.
   */
  bytesPerRequest: number
  /** Heap growth over the first and the second half of the run; a growth that shrinks is warming up, not leaking. */
  growthKiB: [firstHalf: number, secondHalf: number]
  /** setTimeout/setInterval timers created during the run and neither fired nor cleared at the end. */
  timersLeft: number
  /** Node's own count of active timers (process.getActiveResourcesInfo), after minus before. */
  activeTimeoutsDelta: number
  /** addEventListener minus removeEventListener on any EventTarget (AbortSignal, BroadcastChannel...) during the run. */
  eventListenersLeft: number
  /** axios interceptors registered on the instance, after minus before. */
  interceptorsDelta: number
  /** Calls into tokenrail's token storage during the run (one write per refresh is expected, none per request); null where not visible. */
  storageCalls: number | null
}

export const memorySetups: readonly ClientSetup[] = [tokenrailFetch, tokenrailAxios, bearerFetch, bearerAxios]

/** Counts what the run leaves behind, from outside the client: timers, EventTarget listeners. */
function installCounters() {
  const live = new Set<unknown>()
  const { setTimeout: realSetTimeout, clearTimeout: realClearTimeout, setInterval: realSetInterval, clearInterval: realClearInterval } =
    globalThis
  globalThis.setTimeout = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = realSetTimeout(() => {
      live.delete(timer)
      callback(...args)
    }, ms)
    live.add(timer)
    return timer
  }) as typeof setTimeout
  globalThis.clearTimeout = ((timer: Parameters<typeof clearTimeout>[0]) => {
    live.delete(timer)
    realClearTimeout(timer)
  }) as typeof clearTimeout
  globalThis.setInterval = ((callback: (...args: unknown[]) => void, ms?: number, ...args: unknown[]) => {
    const timer = realSetInterval(callback, ms, ...args)
    live.add(timer)
    return timer
  }) as typeof setInterval
  globalThis.clearInterval = ((timer: Parameters<typeof clearInterval>[0]) => {
    live.delete(timer)
    realClearInterval(timer)
  }) as typeof clearInterval

  let listeners = 0
  const { addEventListener, removeEventListener } = EventTarget.prototype
  EventTarget.prototype.addEventListener = function (...args: Parameters<typeof addEventListener>) {
    listeners++
    return addEventListener.apply(this, args)
  }
  EventTarget.prototype.removeEventListener = function (...args: Parameters<typeof removeEventListener>) {
    listeners--
    return removeEventListener.apply(this, args)
  }
  return { timers: () => live.size, listeners: () => listeners }
}

const activeTimeouts = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length

function collectGarbage(): number {
  const gc = (globalThis as { gc?: () => void }).gc
  if (!gc) throw new Error('the memory run needs node --expose-gc')
  for (let i = 0; i < 3; i++) gc()
  return process.memoryUsage().heapUsed
}

/**
 * Runs in a child process started with --expose-gc: one client, `requests` requests one after another, the
 * server expiring the token every `expireEvery` requests so that the refresh path (its timeout timer, its
 * abort controller, the waiting requests) runs too. Prints one JSON line.
 */
export async function memoryChild(name: string, requests: number, expireEvery: number): Promise<void> {
  const setup = memorySetups.find((candidate) => candidate.name === name)
  if (!setup) throw new Error(`memory: no client named ${name}`)
  const counters = installCounters()
  const server = createFakeServer()
  const client = await setup.create(server, server.login())
  const refreshing = setup === tokenrailFetch || setup === tokenrailAxios
  for (let i = 0; i < 1000; i++) await client.get('/api/data')

  const heapBefore = collectGarbage()
  const timersBefore = counters.timers()
  const listenersBefore = counters.listeners()
  const timeoutsBefore = activeTimeouts()
  const interceptorsBefore = client.interceptors?.() ?? 0
  const refreshesBefore = server.stats.rotations
  const storageBefore = client.storageCalls?.()
  let failed = 0
  let heapHalfway = heapBefore
  for (let i = 1; i <= requests; i++) {
    if (refreshing && i % expireEvery === 0) server.expireAccessTokens()
    if (!(await client.get('/api/data'))) failed++
    if (i === requests >> 1) heapHalfway = collectGarbage()
  }
  const heapAfter = collectGarbage()
  const row: MemoryRow = {
    name,
    requests,
    refreshes: server.stats.rotations - refreshesBefore,
    failed,
    heapBeforeKiB: heapBefore / 1024,
    heapAfterKiB: heapAfter / 1024,
    bytesPerRequest: (heapAfter - heapHalfway) / (requests - (requests >> 1)),
    growthKiB: [(heapHalfway - heapBefore) / 1024, (heapAfter - heapHalfway) / 1024],
    timersLeft: counters.timers() - timersBefore,
    activeTimeoutsDelta: activeTimeouts() - timeoutsBefore,
    eventListenersLeft: counters.listeners() - listenersBefore,
    interceptorsDelta: (client.interceptors?.() ?? 0) - interceptorsBefore,
    storageCalls: storageBefore === undefined ? null : client.storageCalls!() - storageBefore,
  }
  client.auth?.destroy()
  process.stdout.write(`${JSON.stringify(row)}\n`)
}

/** Each client in a fresh `node --expose-gc` running this same bundle, so no run inherits another's heap. */
export async function runMemory(requests = 100_000, expireEvery = 10_000): Promise<MemoryRow[]> {
  const rows: MemoryRow[] = []
  for (const setup of memorySetups) {
    rows.push(await runChild<MemoryRow>(['memory-child', setup.name, String(requests), String(expireEvery)], ['--expose-gc']))
  }
  return rows
}
