import { useAuthClient, type AuthEvents } from '@tokenrail/react'
import { useEffect, useState } from 'react'

interface Entry {
  id: number
  at: string
  text: string
}

const MESSAGES: { [E in keyof AuthEvents]: (payload: AuthEvents[E]) => string } = {
  login: () => 'Logged in: new token pair',
  refresh: () => 'Tokens refreshed (here, or in another tab)',
  logout: () => 'Logged out',
  sessionExpired: () => 'Session expired: the server refused the refresh token',
  error: (error) => `Error: ${error.message}`,
}

type LogEvent = keyof AuthEvents

/** What the client did and when, from its events: logins, refreshes, logouts and ended sessions. */
export function RefreshLog() {
  const client = useAuthClient()
  const [entries, setEntries] = useState<Entry[]>([])
  const [refreshes, setRefreshes] = useState(0)

  useEffect(() => {
    let id = 0
    const log = (text: string) => {
      const entry = { id: ++id, at: new Date().toLocaleTimeString(), text }
      setEntries((current) => [entry, ...current].slice(0, 20))
    }
    const listen = <E extends LogEvent>(event: E) =>
      client.on(event, (payload) => {
        if (event === 'refresh') setRefreshes((count) => count + 1)
        log(MESSAGES[event](payload))
      })
    const offs = (Object.keys(MESSAGES) as LogEvent[]).map(listen)
    return () => offs.forEach((off) => off())
  }, [client])

  return (
    <section className="card" aria-label="Token activity">
      <h2>
        Token activity <span className="badge" data-testid="refresh-count">
          {refreshes} {refreshes === 1 ? 'refresh' : 'refreshes'}
        </span>
      </h2>
      {entries.length === 0 ? (
        <p className="hint">Nothing yet.</p>
      ) : (
        <ol className="log">
          {entries.map((entry) => (
            <li key={entry.id}>
              <time>{entry.at}</time> {entry.text}
            </li>
          ))}
        </ol>
      )}
    </section>
  )
}
