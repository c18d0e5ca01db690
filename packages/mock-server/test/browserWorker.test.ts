// `startMockWorker` with msw's worker replaced by a recording fake: what it starts, with which defaults, and what
// it refuses. The worker itself runs in Chromium in the browser tests (the React example uses this entry).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'

const started: unknown[] = []
const stopped = vi.fn()
vi.mock('msw/browser', () => ({
  setupWorker: (...handlers: unknown[]) => ({
    handlers,
    start: async (options: unknown) => void started.push(options),
    stop: stopped,
  }),
}))
const { startMockWorker } = await import('@tokenrail/mock-server/browser')

beforeEach(() => {
  started.length = 0
  stopped.mockClear()
})
afterEach(() => vi.restoreAllMocks())

describe('startMockWorker', () => {
  it('starts quiet, so msw prints no request or response body (passwords, tokens), and lets other requests through', async () => {
    const { mock, stop } = await startMockWorker({ warnOnOtherTabs: false })
    expect(started).toEqual([{ quiet: true, onUnhandledRequest: 'bypass' }])
    // The page's own origin by default.
    expect(mock.endpoints.login).toBe('/auth/login')
    stop()
    expect(stopped).toHaveBeenCalledOnce()
  })

  it('takes msw start options over its defaults, and mock server options beside them', async () => {
    const { mock, stop } = await startMockWorker({
      baseURL: '/v1',
      accessTokenTtl: 60,
      warnOnOtherTabs: false,
      start: { quiet: false, serviceWorker: { url: '/app/mockServiceWorker.js' } },
    })
    expect(started).toEqual([{ quiet: false, onUnhandledRequest: 'bypass', serviceWorker: { url: '/app/mockServiceWorker.js' } }])
    expect(mock.endpoints.login).toBe('/v1/auth/login')
    stop()
  })

  it("refuses cookie mode, which would keep the 'HttpOnly' refresh token in msw's localStorage cookie store", async () => {
    const error = await startMockWorker({ refreshToken: 'cookie' }).catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toContain('npx tokenrail-mock-server --refresh-token cookie')
    expect(started).toEqual([])
  })

  it('warns once on the console when another tab starts its own mock server, and no more after stop', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    const first = await startMockWorker()
    const second = await startMockWorker()
    await vi.waitFor(() => expect(warn).toHaveBeenCalledTimes(2))
    expect(warn.mock.calls[0]?.[0]).toMatch(/^\[tokenrail mock\] Another tab of this site runs its own mock auth server/)
    expect(warn.mock.calls[0]?.[0]).toContain('npx tokenrail-mock-server')
    first.stop()
    second.stop()
  })
})
