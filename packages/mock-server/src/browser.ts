// `@tokenrail/mock-server/browser`: the mock auth server inside a page, behind msw's service worker, started with
// the defaults a demo wants: quiet (msw's own logging prints every request and response body, passwords and
// tokens included) and passing through everything it does not serve (the app's own files, Vite's HMR).
import { setupWorker, type SetupWorker, type StartOptions } from 'msw/browser'
import { createMockAuthServer, type MockAuthServer, type MockAuthServerOptions } from '@tokenrail/mock-server'
import { OTHER_TAB_WARNING, watchOtherTabs } from './otherTabs'

export interface MockWorkerOptions extends Partial<MockAuthServerOptions> {
  /**
   * Options for msw's `worker.start()`, over these defaults: `quiet: true` (msw would log every request body,
   * passwords and refresh tokens included) and `onUnhandledRequest: 'bypass'`.
   */
  start?: StartOptions
  /** Say on the console, once, when another tab runs its own mock server (which logs both out). @default true */
  warnOnOtherTabs?: boolean
}

export interface MockWorker {
  /** The in-page server: clock, faults, stats, reset. */
  readonly mock: MockAuthServer
  /** msw's worker, for `worker.use(...)` and the like. */
  readonly worker: SetupWorker
  /** Stops the worker and the other-tab watch. */
  stop(): void
}

/**
 * Starts the mock auth server in this page and resolves once msw's worker handles requests. Await it before the
 * auth client is created: a cookie-mode client asks for its session the moment it exists. `baseURL` defaults to
 * `'/'` (this page's origin). Needs `mockServiceWorker.js` at the site root (`npx msw init public`).
 */
export async function startMockWorker(options: MockWorkerOptions = {}): Promise<MockWorker> {
  const { start, warnOnOtherTabs = true, ...serverOptions } = options
  if (serverOptions.refreshToken === 'cookie') {
    // msw keeps the cookies its handlers set in its own store, in localStorage: an "HttpOnly" refresh token any
    // script could read, which is the one thing cookie mode exists to prevent.
    throw new TypeError(
      "startMockWorker: refreshToken 'cookie' needs real HttpOnly cookies, which msw in a page cannot set. " +
        "Use body mode here (the client's default refreshToken: 'storage'), or the real server for cookie mode: " +
        'npx tokenrail-mock-server --refresh-token cookie',
    )
  }
  const mock = createMockAuthServer({ baseURL: '/', ...serverOptions })
  const worker = setupWorker(...mock.handlers)
  await worker.start({ quiet: true, onUnhandledRequest: 'bypass', ...start })
  const stopWatching = warnOnOtherTabs ? watchOtherTabs(() => console.warn(OTHER_TAB_WARNING)) : () => undefined
  return {
    mock,
    worker,
    stop() {
      stopWatching()
      worker.stop()
    },
  }
}
