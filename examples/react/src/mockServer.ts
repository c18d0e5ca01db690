import type { MockAuthServer } from '@tokenrail/mock-server'

/** Where the demo's auth server runs: inside this page (msw's service worker), or behind the page's origin. */
export type MockBackend = { kind: 'worker'; mock: MockAuthServer } | { kind: 'server' }

/** Access token lifetime of the mock server (its default). */
export const ACCESS_TOKEN_TTL = 300

/**
 * Starts the in-page mock server when this build carries one. The import is dynamic so that the build served by
 * `tokenrail-mock-server` holds no msw at all.
 */
export async function startMockBackend(): Promise<MockBackend> {
  if (!__IN_PAGE_MOCK_SERVER__) return { kind: 'server' }
  const { startWorker } = await import('./worker')
  return { kind: 'worker', mock: await startWorker() }
}

/** Moves the mock server's clock, so the access token expires without anybody waiting. */
export async function advanceServerClock(backend: MockBackend, seconds: number): Promise<void> {
  if (backend.kind === 'worker') return backend.mock.clock.advance(seconds)
  const response = await fetch('/__mock/clock/advance', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ seconds }),
  })
  if (!response.ok) throw new Error('This server has no clock control: start it with tokenrail-mock-server --control')
}
