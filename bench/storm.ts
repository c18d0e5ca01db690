import { authLibraries, type ClientSetup } from './clients'
import { shiftedClock } from './clock'
import { createFakeServer } from './fakeServer'

export type StormPath = 'reactive' | 'proactive'

export interface StormRow {
  library: string
  transport: 'axios' | 'fetch'
  n: number
  path: StormPath
  refreshCalls: number
  succeeded: number
  failed: number
  /** API requests the server saw (first tries and retries). */
  serverSaw: number
  ms: number
}

export interface Late401Row {
  library: string
  transport: 'axios' | 'fetch'
  refreshCalls: number
  /** The request that was fast: its 401 started the refresh. */
  fast: 'ok' | 'failed'
  /** The request sent with the old token whose 401 arrived after the refresh had finished. */
  slow: 'ok' | 'failed'
  serverSaw: number
}

/**
 * N requests at once with a token the server no longer accepts. `reactive`: it expired on the server only, the
 * client believes it valid (each request learns it from a 401). `proactive`: the token's lifetime passed on
 * everyone's clock, so the client can know before sending.
 */
export async function refreshStorm(setup: ClientSetup, n: number, path: StormPath): Promise<StormRow> {
  const clock = shiftedClock()
  try {
    const server = createFakeServer()
    const client = await setup.create(server, server.login())
    if (path === 'reactive') server.expireAccessTokens()
    else clock.advance(301) // past the 300 s lifetime, on the server's clock and the client's
    const started = performance.now()
    const outcomes = await Promise.all(Array.from({ length: n }, () => client.get('/api/data')))
    const ms = performance.now() - started
    client.auth?.destroy()
    const succeeded = outcomes.filter(Boolean).length
    return {
      library: setup.name,
      transport: setup.transport,
      n,
      path,
      refreshCalls: server.stats.refreshCalls,
      succeeded,
      failed: n - succeeded,
      serverSaw: server.stats.apiRequests,
      ms,
    }
  } finally {
    clock.restore()
  }
}

/**
 * A slow request and a fast one leave with the same token, which expired on the server only. The fast one's
 * 401 starts a refresh (20 ms); the slow one's 401 arrives at 60 ms, after the refresh finished.
 */
export async function late401(setup: ClientSetup): Promise<Late401Row> {
  const server = createFakeServer({ slowDelayMs: 60 })
  const client = await setup.create(server, server.login())
  server.expireAccessTokens()
  const slow = client.get('/api/slow')
  const fast = client.get('/api/data')
  const [slowOk, fastOk] = await Promise.all([slow, fast])
  client.auth?.destroy()
  return {
    library: setup.name,
    transport: setup.transport,
    refreshCalls: server.stats.refreshCalls,
    fast: fastOk ? 'ok' : 'failed',
    slow: slowOk ? 'ok' : 'failed',
    serverSaw: server.stats.apiRequests,
  }
}

export async function runStorms(sizes: readonly number[] = [100, 1000]): Promise<StormRow[]> {
  const rows: StormRow[] = []
  for (const path of ['reactive', 'proactive'] as const) {
    for (const n of sizes) {
      for (const setup of authLibraries) rows.push(await refreshStorm(setup, n, path))
    }
  }
  return rows
}

export async function runLate401(): Promise<Late401Row[]> {
  const rows: Late401Row[] = []
  for (const setup of authLibraries) rows.push(await late401(setup))
  return rows
}
