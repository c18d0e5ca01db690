import { useAuth } from '@tokenrail/react'
import { DemoControls } from './DemoControls'
import { ExpiryCountdown } from './ExpiryCountdown'

export function SessionCard() {
  const { user, logout } = useAuth<{ name?: string; sub?: string }>()
  return (
    <section className="card session" aria-label="Session">
      <div className="session-head">
        <h2>Hello, {user?.name ?? user?.sub}</h2>
        <button className="button" onClick={() => void logout()}>
          Log out
        </button>
      </div>
      <ExpiryCountdown />
      <DemoControls />
    </section>
  )
}
