import type { AuthClient } from '@tokenrail/react'
import type { MockBackend } from './mockServer'

declare global {
  /** Set by vite.config.ts: whether this build runs the mock server in the page (msw's service worker). */
  const __IN_PAGE_MOCK_SERVER__: boolean

  interface Window {
    /** The page's client and mock backend, for poking at in devtools and for the browser tests. */
    tokenrail?: { client: AuthClient; backend: MockBackend }
  }
}
