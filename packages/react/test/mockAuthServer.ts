import { createAuthClient, type AuthClient, type AuthClientOptions } from '@tokenrail/core'
import { createMockAuthServer, DEMO_USER } from '@tokenrail/mock-server'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'

export const API = 'https://api.example.com'
export const TODOS = `${API}/api/todos`
export const credentials = { username: DEMO_USER.username, password: DEMO_USER.password }

/**
 * The mock auth server under msw for one test file, and a factory for clients that talk to it. Clients are
 * isolated from each other (no cross-tab channel) and refresh only when asked, unless a test says otherwise;
 * each is destroyed after its test.
 */
export function useMockAuthServer() {
  const mock = createMockAuthServer({ baseURL: API })
  const server = setupServer(...mock.handlers)
  const clients: AuthClient[] = []

  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterEach(() => {
    clients.splice(0).forEach((client) => client.destroy())
    server.resetHandlers()
    mock.reset()
  })
  afterAll(() => server.close())

  function createClient(options: Partial<AuthClientOptions> = {}) {
    const client = createAuthClient({ baseURL: API, crossTab: false, autoRefresh: false, ...options })
    clients.push(client)
    return client
  }

  /** A client with the demo user logged in. */
  async function loggedInClient(options: Partial<AuthClientOptions> = {}) {
    const client = createClient(options)
    await client.login(credentials)
    return client
  }

  return { mock, server, createClient, loggedInClient }
}
