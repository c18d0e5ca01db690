import { useAuthClient } from '@tokenrail/react'
import { useState } from 'react'
import { useDemo } from './demoContext'
import { serverURL } from './demoOptions'
import { ACCESS_TOKEN_TTL, advanceServerClock } from './mockServer'
import { callNumber, type Row } from './createTimeline'

const STORM_SIZE = 5

/** What a storm's rows add up to: its calls' 401s and retries, and the refreshes sent while it ran. */
function stormResult(rows: readonly Row[], firstRow: number, calls: ReadonlySet<number>): string {
  const mine = rows.filter((row) => row.id >= firstRow)
  const tries = mine.filter((row) => row.call !== undefined && calls.has(row.call))
  const count = (test: (row: Row) => boolean) => tries.filter(test).length
  const refreshes = mine.filter((row) => row.kind === 'refresh').length
  return (
    `${calls.size} requests → ${count((row) => row.status === 401)} × 401 → ${refreshes} ${refreshes === 1 ? 'refresh' : 'refreshes'} → ` +
    `${count((row) => (row.attempt ?? 1) > 1)} retries → ${count((row) => row.status === 200)} × 200`
  )
}

/**
 * Makes the access token expire on the server (its clock moves 5 minutes on) while this page still counts it as
 * valid: the next request gets a 401, and the client refreshes and retries on its own.
 */
export function DemoControls() {
  const client = useAuthClient()
  const { backend, options, timeline } = useDemo()
  const [message, setMessage] = useState<string>()
  const [busy, setBusy] = useState(false)

  async function expire(): Promise<boolean> {
    try {
      await advanceServerClock(backend, options, ACCESS_TOKEN_TTL + 1)
    } catch (error) {
      setMessage((error as Error).message)
      return false
    }
    timeline.note('Server clock moved 5 min on: the server now refuses the access token; the page does not know yet')
    return true
  }

  async function expireOnly() {
    if (await expire()) setMessage('Server clock moved 5 minutes on: the next API call gets a 401 and the client refreshes.')
  }

  async function storm() {
    setBusy(true)
    if (!(await expire())) return setBusy(false)
    const firstRow = timeline.getRows().at(-1)?.id ?? 0
    const inits = Array.from({ length: STORM_SIZE }, () => timeline.call())
    const calls = new Set(inits.map(callNumber))
    await Promise.allSettled(inits.map((init) => client.fetch(serverURL(options, '/api/todos'), init)))
    setMessage(stormResult(timeline.getRows(), firstRow, calls))
    setBusy(false)
  }

  return (
    <div className="controls" role="group" aria-label="Demo controls">
      <div className="buttons">
        <button className="button" onClick={() => void expireOnly()} disabled={busy}>
          Expire the access token
        </button>
        <button className="button primary" onClick={() => void storm()} disabled={busy}>
          Refresh storm: {STORM_SIZE} requests at once
        </button>
      </div>
      <p className="hint" role="status" data-testid="controls-message">
        {message ?? 'Both move the mock server’s clock 5 minutes on, so its next answer to this token is a 401.'}
      </p>
    </div>
  )
}
