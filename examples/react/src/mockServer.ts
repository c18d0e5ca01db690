import type { MockAuthServer } from '@tokenrail/mock-server'
import { serverURL, type DemoOptions } from './demoOptions'

/** Where the demo's auth server runs: inside this page (msw's service worker), or behind an origin. */
export type MockBackend = { kind: 'worker'; mock: MockAuthServer } | { kind: 'server'; origin: string | undefined }

/** Access token lifetime of the mock server (its default). */
export const ACCESS_TOKEN_TTL = 300

/**
 * Starts the in-page mock server when this build carries one and the page was not pointed at a server of its
 * own (`?api=`). The import is dynamic so that builds without it hold no msw at all.
 */
export async function startMockBackend(options: DemoOptions): Promise<MockBackend> {
  if (!__IN_PAGE_MOCK_SERVER__ || options.api) return { kind: 'server', origin: options.api }
  const { startWorker } = await import('./worker')
  return { kind: 'worker', mock: await startWorker() }
}

/** Moves the mock server's clock, so the access token expires without anybody waiting. */
export async function advanceServerClock(backend: MockBackend, options: DemoOptions, seconds: number): Promise<void> {
  if (backend.kind === 'worker') return backend.mock.clock.advance(seconds)
  const response = await fetch(serverURL(options, '/__mock/clock/advance'), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ seconds }),
  }).catch(() => undefined)
  if (!response?.ok) throw new Error('This server has no clock control: start it with tokenrail-mock-server --control')
}
