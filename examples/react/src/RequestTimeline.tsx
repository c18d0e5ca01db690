import { useSyncExternalStore } from 'react'
import { useDemo } from './demoContext'
import { clockTime } from './clockTime'
import { summarize, type Row } from './createTimeline'


function detail(row: Row): string {
  switch (row.kind) {
    case 'api':
      return [`call ${row.call ?? '–'}`, (row.attempt ?? 1) > 1 ? 'retry' : 'first try', row.token ? `token ${row.token}` : 'no token']
        .filter(Boolean)
        .join(' · ')
    case 'login':
      return row.issued ? `new session → token ${row.issued}` : 'credentials'
    case 'refresh':
      if (row.issued) return `one refresh for every waiting request → token ${row.issued}`
      if (row.status === 204) return 'session restore: no session'
      if (row.status === 400 || row.status === 401) return 'refused: the session is over'
      return 'refresh token → new pair'
    case 'logout':
      return row.token ? `revokes the session of token ${row.token}` : 'revokes the session'
    default:
      return ''
  }
}

function tone(row: Row): string {
  if (row.aborted) return 'aborted'
  if (row.failed) return 'bad'
  if (row.status === undefined) return 'pending'
  if (row.status === 401) return 'unauthorized'
  if (row.status >= 400) return 'bad'
  if (row.kind === 'refresh' && row.issued) return 'refreshed'
  if ((row.attempt ?? 1) > 1) return 'retried'
  return 'ok'
}

function TimelineRow({ row }: { row: Row }) {
  if (row.kind === 'note') {
    return (
      <li className="row note">
        <span className="num">#{row.id}</span>
        <time>{clockTime(row.at)}</time>
        <span className="text">{row.text}</span>
      </li>
    )
  }
  return (
    <li className={`row ${row.kind} ${tone(row)}`}>
      <span className="num">#{row.id}</span>
      <time>{clockTime(row.at)}</time>
      <span className="request">
        <b>{row.method}</b> {row.path}
      </span>
      <span className="detail">{detail(row)}</span>
      <span className="status">
        {row.aborted ? 'aborted' : row.failed ? 'failed' : (row.status ?? '…')}
        {row.reason && <small> {row.reason}</small>}
      </span>
    </li>
  )
}

/** Every request the client sent, oldest first: each try, each 401, the refresh they share, each retry. */
export function RequestTimeline() {
  const { timeline } = useDemo()
  const rows = useSyncExternalStore(timeline.subscribe, timeline.getRows)
  const summary = summarize(rows)
  return (
    <section className="card timeline" aria-label="Request timeline">
      <div className="timeline-head">
        <h2>Request timeline</h2>
        <p className="summary">
          <span>{summary.requests} requests</span>
          <span className="unauthorized">{summary.unauthorized} × 401</span>
          <span className="refreshed">
            <b data-testid="refresh-count">{summary.refreshes}</b> {summary.refreshes === 1 ? 'refresh' : 'refreshes'}
          </span>
          <span className="retried">{summary.retries} retries</span>
        </p>
      </div>
      <p className="hint">Oldest first, on this browser’s clock. Tokens are named by letter, never shown.</p>
      {rows.length === 0 ? (
        <p className="hint">No request yet.</p>
      ) : (
        <ol className="rows">
          {rows.map((row) => (
            <TimelineRow key={row.id} row={row} />
          ))}
        </ol>
      )}
    </section>
  )
}
