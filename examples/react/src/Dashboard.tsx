import { useAuth } from '@tokenrail/react'
import { Claims } from './Claims'
import { ExpiryCountdown } from './ExpiryCountdown'
import { Todos } from './Todos'

export function Dashboard() {
  const { user, logout } = useAuth<{ name?: string; sub?: string }>()
  return (
    <section className="dashboard" aria-label="Dashboard">
      <div className="card welcome">
        <h2>Hello, {user?.name ?? user?.sub}</h2>
        <ExpiryCountdown />
        <button onClick={() => void logout()}>Log out</button>
      </div>
      <Todos />
      <Claims />
    </section>
  )
}
