import {
  axiosAuthRefresh,
  axiosJwt,
  bareAxios,
  bareFetch,
  bearerAxios,
  bearerFetch,
  tokenrailAxios,
  tokenrailFetch,
  type ClientSetup,
  type ClientUnderTest,
} from './clients'
import { runChild } from './childProcess'
import { createFakeServer } from './fakeServer'

export interface OverheadRow {
  name: string
  transport: 'axios' | 'fetch'
  /** Requests per second in each round, in round order. */
  rounds: number[]
  median: number
  min: number
  max: number
  /** median / the floor's median: the hand-written bearer interceptor for axios, the hand-written header for fetch. */
  ratio: number
  /** The same ratio computed round by round (each round's variants ran back to back), min and max. */
  ratioMin: number
  ratioMax: number
  /** Microseconds each request costs beyond the floor (1/median - 1/floor median): independent of the fake's own cost. */
  addedMicroseconds: number
}

export interface OverheadOptions {
  rounds: number
  requests: number
  warmup: number
}

/** (a) to (e) for axios, then fetch; the floors are the hand-written bearer rows. */
export const overheadSetups: readonly ClientSetup[] = [
  bareAxios,
  bearerAxios,
  tokenrailAxios,
  axiosAuthRefresh,
  axiosJwt,
  bareFetch,
  bearerFetch,
  tokenrailFetch,
]

const floorOf = (transport: 'axios' | 'fetch') => (transport === 'axios' ? bearerAxios : bearerFetch)

/** Requests one after another, as an app awaiting each call would; requests per second. */
async function sequential(client: ClientUnderTest, path: string, requests: number): Promise<number> {
  let failures = 0
  const started = performance.now()
  for (let i = 0; i < requests; i++) if (!(await client.get(path))) failures++
  const seconds = (performance.now() - started) / 1000
  if (failures) throw new Error(`${failures} of ${requests} requests failed: the measurement would be wrong`)
  return requests / seconds
}

export const median = (values: readonly number[]) => {
  const sorted = [...values].sort((a, b) => a - b)
  const middle = sorted.length >> 1
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2
}

/**
 * Runs in a fresh child process: one client on its own server, `warmup` requests, then `requests` timed ones.
 * Prints the requests per second.
 */
export async function overheadChild(name: string, requests: number, warmup: number): Promise<void> {
  const setup = overheadSetups.find((candidate) => candidate.name === name)
  if (!setup) throw new Error(`overhead: no client named ${name}`)
  const server = createFakeServer()
  const client = await setup.create(server, server.login())
  const path = setup.authenticated ? '/api/data' : '/public/data'
  await sequential(client, path, warmup)
  const rate = await sequential(client, path, requests)
  client.auth?.destroy()
  process.stdout.write(`${JSON.stringify(rate)}\n`)
}

/**
 * Per-request overhead with a valid token. Each measurement runs in a fresh process (see runChild), and rounds
 * are interleaved (each round measures every client, starting one further along the list), so drift in the
 * machine's speed (turbo, other processes) spreads over all clients instead of landing on one.
 */
export async function runOverhead(options: OverheadOptions, setups = overheadSetups): Promise<OverheadRow[]> {
  const results = new Map<ClientSetup, number[]>(setups.map((setup) => [setup, []]))
  for (let round = 0; round < options.rounds; round++) {
    for (let i = 0; i < setups.length; i++) {
      const setup = setups[(i + round) % setups.length]!
      const rate = await runChild<number>(['overhead-child', setup.name, String(options.requests), String(options.warmup)])
      results.get(setup)!.push(rate)
    }
  }

  return setups.map((setup) => {
    const rounds = results.get(setup)!
    const floor = results.get(floorOf(setup.transport))!
    const perRound = rounds.map((rate, round) => rate / floor[round]!)
    return {
      name: setup.name,
      transport: setup.transport,
      rounds,
      median: median(rounds),
      min: Math.min(...rounds),
      max: Math.max(...rounds),
      ratio: median(rounds) / median(floor),
      ratioMin: Math.min(...perRound),
      ratioMax: Math.max(...perRound),
      addedMicroseconds: 1e6 / median(rounds) - 1e6 / median(floor),
    }
  })
}
