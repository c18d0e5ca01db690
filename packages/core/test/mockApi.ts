import { createMockAuthServer, DEMO_USER, type MockAuthServerOptions } from '@tokenrail/mock-server'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'
import { createAuthClient, type AuthClient, type AuthClientOptions } from '../src'

export const API = 'https://api.example.com'
export const TODOS = `${API}/api/todos`
export const credentials = { username: DEMO_USER.username, password: DEMO_USER.password }

export interface SeenRequest {
  method: string
  url: string
  authorization: string | null
}

/**
 * The mock auth server under msw for one test file, with a log of every request it saw (method, URL,
 * Authorization header) and foreign hosts that answer 200 so header leaks can be observed.
 */
export function useMockApi(options: Partial<MockAuthServerOptions> = {}) {
  const mock = createMockAuthServer({ baseURL: API, ...options })
  const seen: SeenRequest[] = []
  const echo = () => HttpResponse.json({ ok: true })
  const server = setupServer(
    ...mock.handlers,
    http.all('https://*.example.org/*', echo),
    http.all('https://api.example.com.evil.org/*', echo),
    http.all('http://api.example.com/*', echo),
    http.all('https://api.example.com:8443/*', echo),
    http.all('https://apiexample.com/*', echo),
  )
  server.events.on('request:start', ({ request }) => {
    seen.push({ method: request.method, url: request.url, authorization: request.headers.get('authorization') })
  })

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    server.resetHandlers()
    mock.reset()
    seen.length = 0
  })
  afterAll(() => server.close())

  const to = (path: string) => seen.filter((request) => request.url.startsWith(`${API}${path}`))
  return { mock, server, seen, to }
}

/** The clients a test file makes, each destroyed after its test; `defaults` apply to every one of them. */
export function useClients(defaults: Partial<AuthClientOptions> = {}) {
  let made: AuthClient[] = []
  afterEach(() => {
    made.forEach((client) => client.destroy())
    made = []
  })
  function client(options: Partial<AuthClientOptions> = {}) {
    const auth = createAuthClient({ baseURL: API, ...defaults, ...options })
    made.push(auth)
    return auth
  }
  async function loggedIn(options: Partial<AuthClientOptions> = {}) {
    const auth = client(options)
    await auth.login(credentials)
    return auth
  }
  return { client, loggedIn }
}

/** Answers GET `url` with 200 and keeps the headers it received, for tests of what a request carried. */
export function echoHeaders(server: { use(...handlers: ReturnType<typeof http.get>[]): void }, url: string) {
  let received: Headers | undefined
  server.use(
    http.get(url, ({ request }) => {
      received = request.headers
      return HttpResponse.json({})
    }),
  )
  return () => received
}

/**
 * Holds the answer to the next POST `path` (an auth endpoint) until `release()`, then answers `body`: for
 * tests of what happens while a login or refresh is on the wire.
 */
export function holdAnswer(
  server: { use(...handlers: ReturnType<typeof http.post>[]): void },
  path: string,
  body: () => Record<string, unknown> | Promise<Record<string, unknown>>,
) {
  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  server.use(
    http.post(`${API}${path}`, async () => {
      await held
      return HttpResponse.json(await body())
    }),
  )
  return release
}

/** What `promise` settled with by the next macrotask turn (a rejection as its reason), or 'pending'. */
export const settledWithin = (promise: Promise<unknown>) =>
  Promise.race([promise.catch((reason: unknown) => reason), new Promise((resolve) => setImmediate(() => resolve('pending')))])

/** Resolves once the tab messages posted so far on `channel` have been delivered: a probe posted now arrives after them. */
export function delivered(channel = `tokenrail:${API}/`) {
  const listener = new BroadcastChannel(channel)
  const sender = new BroadcastChannel(channel)
  return new Promise<void>((resolve) => {
    listener.onmessage = () => {
      listener.close()
      sender.close()
      resolve()
    }
    sender.postMessage({ probe: 'test' })
  })
}
