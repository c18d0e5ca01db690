import { createMockAuthServer, DEMO_USER, type MockAuthServerOptions } from '@tokenrail/mock-server'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'

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
