import { createMockAuthServer, type MockAuthServer } from '@tokenrail/mock-server'
import { setupWorker } from 'msw/browser'

/** The mock auth server inside this page: msw's service worker hands it the page's /auth and /api requests. */
export async function startWorker(): Promise<MockAuthServer> {
  const mock = createMockAuthServer({ baseURL: '/' })
  await setupWorker(...mock.handlers).start({ onUnhandledRequest: 'bypass', quiet: true })
  return mock
}
