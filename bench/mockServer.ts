import { randomBytes } from 'node:crypto'
import { SignJWT } from 'jose'
import { getResponse } from 'msw'
import { createMockAuthServer, DEMO_USER, type MockAuthServer } from '@tokenrail/mock-server'
import { median } from './overhead'

export interface MockServerRow {
  operation: string
  /** Median over the rounds. */
  opsPerSecond: number
  /** Median of the per-round ratios to bare jose HS256 signs per second (1: the handler costs no more than its signature). */
  ratioToSign: number
}

const BASE_URL = 'https://auth.bench.test'

/**
 * Operations per second with `concurrency` callers each running `operation(worker)` one after another for
 * `ms`: a server's throughput, with the thread pool's round trips (WebCrypto) overlapping as they do under load.
 */
async function throughput(operation: (worker: number) => Promise<void>, ms: number, concurrency: number): Promise<number> {
  let operations = 0
  const started = performance.now()
  const until = started + ms
  const worker = async (index: number) => {
    while (performance.now() < until) {
      await operation(index)
      operations++
    }
  }
  await Promise.all(Array.from({ length: concurrency }, (_, index) => worker(index)))
  return operations / ((performance.now() - started) / 1000)
}

function post(url: string, body: unknown): Request {
  return new Request(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })
}

async function send(mock: MockAuthServer, request: Request): Promise<{ accessToken: string; refreshToken: string }> {
  const response = await getResponse(mock.handlers, request)
  if (response?.status !== 200) throw new Error(`mock server: ${request.url} answered ${response?.status ?? 'nothing'}`)
  return (await response.json()) as { accessToken: string; refreshToken: string }
}

const login = (mock: MockAuthServer) => send(mock, post(mock.endpoints.login, { username: DEMO_USER.username, password: DEMO_USER.password }))

/**
 * The mock server's handlers driven directly through msw's `getResponse` (no network, no interception), as a
 * ratio to what its work cannot go below: one jose HS256 signature with the same kind of key and claims.
 * Logins also hash the password (PBKDF2, 10 000 iterations by default, on purpose); the row with 1 iteration
 * shows the handler's own cost. Eight callers at a time, so that the round trips to libuv's thread pool (where
 * WebCrypto signs and hashes) overlap instead of measuring the pool's wake-up latency; the operations take turns
 * in short slices over several rounds, and each ratio is taken within a round.
 */
export async function runMockServer(rounds = 5, msPerSlice = 300, concurrency = 8): Promise<MockServerRow[]> {
  const key = new Uint8Array(randomBytes(32))
  const claims = { iss: 'tokenrail-mock-server', aud: 'tokenrail-demo-api', sub: 'demo', sid: 'family', ...DEMO_USER.claims }
  const hashed = createMockAuthServer({ baseURL: BASE_URL })
  const cheap = createMockAuthServer({ baseURL: BASE_URL, passwordHashIterations: 1 })
  await Promise.all([hashed.users.list(), cheap.users.list()]) // password hashes computed before timing
  const rotating = createMockAuthServer({ baseURL: BASE_URL })
  // One session per caller: each rotates its own refresh token.
  const refreshTokens = await Promise.all(Array.from({ length: concurrency }, async () => (await login(rotating)).refreshToken))

  const operations: [string, (worker: number) => Promise<void>][] = [
    [
      'jose HS256 sign (bare)',
      async () => {
        const iat = Math.floor(Date.now() / 1000)
        await new SignJWT({ ...claims, jti: crypto.randomUUID(), iat, exp: iat + 300 }).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).sign(key)
      },
    ],
    ['login, PBKDF2 10 000 iterations (default)', async () => void (await login(hashed))],
    ['login, PBKDF2 1 iteration', async () => void (await login(cheap))],
    [
      'refresh (rotation)',
      async (worker) => {
        const refreshToken = refreshTokens[worker]
        refreshTokens[worker] = (await send(rotating, post(rotating.endpoints.refresh, { refreshToken }))).refreshToken
      },
    ],
  ]
  for (const [, operation] of operations) await throughput(operation, 100, concurrency) // warm-up
  const rates = operations.map((): number[] => [])
  for (let round = 0; round < rounds; round++) {
    for (const [index, [, operation]] of operations.entries()) rates[index]!.push(await throughput(operation, msPerSlice, concurrency))
  }
  const signs = rates[0]!
  return operations.map(([operation], index) => ({
    operation,
    opsPerSecond: median(rates[index]!),
    ratioToSign: median(rates[index]!.map((rate, round) => rate / signs[round]!)),
  }))
}
