import { Claims } from './Claims'
import { SessionCard } from './SessionCard'
import { RequestTimeline } from './RequestTimeline'
import { Todos } from './Todos'

/**
 * Signed in: the session and its controls, the request timeline, the todo API and the token's claims, in that
 * reading order (a phone shows them one under the other); wide screens put the timeline in a column of its own.
 */
export function Dashboard() {
  return (
    <section className="dashboard" aria-label="Dashboard">
      <SessionCard />
      <RequestTimeline />
      <Todos />
      <Claims />
    </section>
  )
}
