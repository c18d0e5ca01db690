import type { MockAuthServer } from '@tokenrail/mock-server'
import { startMockWorker } from '@tokenrail/mock-server/browser'

/**
 * The mock auth server inside this page: msw's service worker hands it the page's /auth and /api requests. It
 * starts quiet (msw would log every body to the console, passwords and tokens included) and in body mode, since
 * msw has no HttpOnly cookies.
 */
export async function startWorker(): Promise<MockAuthServer> {
  const { mock } = await startMockWorker()
  return mock
}
