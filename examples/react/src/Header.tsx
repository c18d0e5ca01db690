import { useDemo } from './demoContext'

const STORAGE = { memory: 'memory', local: 'localStorage', session: 'sessionStorage' } as const

/** The demo's name, and what this page runs against: which server, where the refresh token lives, which storage. */
export function Header() {
  const { backend, options } = useDemo()
  const server =
    backend.kind === 'worker' ? 'msw, in this page' : backend.origin ? `tokenrail-mock-server at ${backend.origin}` : 'tokenrail-mock-server, this origin'
  return (
    <header className="top">
      <div>
        <h1>tokenrail demo</h1>
        <p>JWT login with transparent refresh: watch a 401 turn into one refresh and a retry.</p>
      </div>
      <dl className="chips" aria-label="Configuration">
        <div>
          <dt>Server</dt>
          <dd>{server}</dd>
        </div>
        <div>
          <dt>Refresh token</dt>
          <dd>{options.refreshToken === 'cookie' ? 'HttpOnly cookie' : 'in storage'}</dd>
        </div>
        <div>
          <dt>Storage</dt>
          <dd>{STORAGE[options.storage]}</dd>
        </div>
      </dl>
    </header>
  )
}
