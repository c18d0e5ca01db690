import { useAuthClient, type AuthEvents } from '@tokenrail/react'
import { useEffect, useState } from 'react'

interface Entry {
  id: number
  at: string
  text: string
}

const MESSAGES: Record<keyof AuthEvents, string> = {
  login: 'Logged in: new token pair',
  refresh: 'Tokens refreshed (here, or in another tab)',
  logout: 'Logged out',
  sessionExpired: 'Session expired: the server refused the refresh token',
  error: 'A refresh failed; the client will retry',
}

/** What the client did and when, from its events: logins, refreshes, logouts and ended sessions. */
export function RefreshLog() {
  const client = useAuthClient()
  const [entries, setEntries] = useState<Entry[]>([])
  const [refreshes, setRefreshes] = useState(0)

  useEffect(() => {
    let id = 0
    const offs = (Object.keys(MESSAGES) as (keyof AuthEvents)[]).map((event) =>
      client.on(event, () => {
        if (event === 'refresh') setRefreshes((count) => count + 1)
        const entry = { id: ++id, at: new Date().toLocaleTimeString(), text: MESSAGES[event] }
        setEntries((current) => [entry, ...current].slice(0, 20))
      }),
    )
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
