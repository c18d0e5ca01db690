import { randomBytes } from 'node:crypto'
import { SignJWT } from 'jose'
import { getResponse } from 'msw'
import { createMockAuthServer, DEMO_USER, type MockAuthServer } from '@tokenrail/mock-server'

export interface MockServerRow {
  operation: string
  opsPerSecond: number
  /** opsPerSecond / bare jose HS256 signs per second: 1 would mean the handler costs no more than its signature. */
  ratioToSign: number
  operations: number
}

const BASE_URL = 'https://auth.bench.test'

/** Runs `operation` one after another for `ms` (after a short warm-up); operations per second. */
async function throughput(operation: () => Promise<void>, ms: number): Promise<{ opsPerSecond: number; operations: number }> {
  const warmUntil = performance.now() + Math.min(200, ms / 4)
  while (performance.now() < warmUntil) await operation()
  let operations = 0
  const started = performance.now()
  let elapsed = 0
  while (elapsed < ms) {
    await operation()
    operations++
    elapsed = performance.now() - started
  }
  return { opsPerSecond: operations / (elapsed / 1000), operations }
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
 * shows the handler's own cost.
 */
export async function runMockServer(msPerRow = 1500): Promise<MockServerRow[]> {
  const key = new Uint8Array(randomBytes(32))
  const claims = { iss: 'tokenrail-mock-server', aud: 'tokenrail-demo-api', sub: 'demo', sid: 'family', ...DEMO_USER.claims }
  const sign = await throughput(async () => {
    const iat = Math.floor(Date.now() / 1000)
    await new SignJWT({ ...claims, jti: crypto.randomUUID(), iat, exp: iat + 300 }).setProtectedHeader({ alg: 'HS256', typ: 'at+jwt' }).sign(key)
  }, msPerRow)

  const hashed = createMockAuthServer({ baseURL: BASE_URL })
  await hashed.users.list() // password hashes computed before timing
  const cheap = createMockAuthServer({ baseURL: BASE_URL, passwordHashIterations: 1 })
  await cheap.users.list()
  const rotating = createMockAuthServer({ baseURL: BASE_URL })
  let refreshToken = (await login(rotating)).refreshToken

  const rows = [
    { operation: 'jose HS256 sign (bare)', ...sign },
    { operation: 'login, PBKDF2 10 000 iterations (default)', ...(await throughput(async () => void (await login(hashed)), msPerRow)) },
    { operation: 'login, PBKDF2 1 iteration', ...(await throughput(async () => void (await login(cheap)), msPerRow)) },
    {
      operation: 'refresh (rotation)',
      ...(await throughput(async () => {
        refreshToken = (await send(rotating, post(rotating.endpoints.refresh, { refreshToken }))).refreshToken
      }, msPerRow)),
    },
  ]
  return rows.map((row) => ({ ...row, ratioToSign: row.opsPerSecond / sign.opsPerSecond }))
}
