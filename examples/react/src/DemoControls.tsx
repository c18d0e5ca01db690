import { useState } from 'react'
import type { DemoOptions } from './demoOptions'
import { ACCESS_TOKEN_TTL, advanceServerClock, type MockBackend } from './mockServer'

/** Which server and client options this page runs with, and a way to make the access token expire now. */
export function DemoControls({ backend, options }: { backend: MockBackend; options: DemoOptions }) {
  const [message, setMessage] = useState<string>()
  const cookieInWorker = backend.kind === 'worker' && options.refreshToken === 'cookie'

  function expire() {
    advanceServerClock(backend, ACCESS_TOKEN_TTL + 1).then(
      () => setMessage('Server clock moved 5 minutes on: the next API call gets a 401 and the client refreshes.'),
      (error: unknown) => setMessage((error as Error).message),
    )
  }

  return (
    <section className="card controls" aria-label="Demo controls">
      <h2>Demo controls</h2>
      <p>
        Mock server: {backend.kind === 'worker' ? 'msw service worker in this page' : 'tokenrail-mock-server on this origin'}.
        Refresh token in: <code>{options.refreshToken === 'cookie' ? 'HttpOnly cookie' : 'storage'}</code>, storage:{' '}
        <code>{options.storage}</code>.
      </p>
      {cookieInWorker && (
        <p role="alert">
          Cookie mode needs real HttpOnly cookies: run <code>npm run serve -- --refresh-token cookie</code>.
        </p>
      )}
      <button onClick={expire}>Expire the access token (server clock +5 min)</button>
      {message && <p className="hint">{message}</p>}
    </section>
  )
}
