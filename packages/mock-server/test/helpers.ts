import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, beforeEach, vi } from 'vitest'
import { createMockAuthServer, DEMO_USER, type MockAuthServer, type MockAuthServerOptions } from '@tokenrail/mock-server'

export const BASE_URL = 'https://api.example.com'

export interface TokenBody {
  accessToken: string
  refreshToken: string
  tokenType: string
  expiresIn: number
}

/** A round instant: server time starts here in every test, so second boundaries never make a test flaky. */
export const TEST_EPOCH = Date.UTC(2030, 0, 1)

/**
 * One msw server per test file (msw's own pattern); each test starts its own mock auth server on it. Date is
 * frozen at TEST_EPOCH, so only `mock.clock.advance` (or a test's own fake timers) moves time.
 */
export function useMsw() {
  const server = setupServer()
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['Date'], now: TEST_EPOCH })
  })
  afterEach(() => {
    vi.useRealTimers()
    server.resetHandlers()
  })
  afterAll(() => server.close())
  return {
    server,
    start(options: Partial<MockAuthServerOptions> = {}): MockAuthServer {
      const mock = createMockAuthServer({ baseURL: BASE_URL, ...options })
      server.use(...mock.handlers)
      return mock
    },
  }
}

export function post(url: string, body?: unknown, headers: Record<string, string> = {}): Promise<Response> {
  const init: RequestInit = { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers } }
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body)
  return fetch(url, init)
}

export async function login(
  mock: MockAuthServer,
  username: string = DEMO_USER.username,
  password: string = DEMO_USER.password,
): Promise<TokenBody> {
  const response = await post(mock.endpoints.login, { username, password })
  if (response.status !== 200) throw new Error(`login failed with ${response.status}`)
  return (await response.json()) as TokenBody
}

export function refresh(mock: MockAuthServer, refreshToken: string): Promise<Response> {
  return post(mock.endpoints.refresh, { refreshToken })
}

export function getWithToken(url: string, accessToken: string): Promise<Response> {
  return fetch(url, { headers: { Authorization: `Bearer ${accessToken}` } })
}

/** base64url of a JSON value, for hand-made JWT segments. */
export function segment(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url')
}
