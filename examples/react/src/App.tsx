import { RequireAuth } from '@tokenrail/react'
import { Dashboard } from './Dashboard'
import { Header } from './Header'
import { SignedOut } from './SignedOut'

export function App() {
  return (
    <div className="app">
      <Header />
      <main>
        <RequireAuth fallback={<SignedOut />} loading={<p className="card loading">Restoring the session…</p>}>
          <Dashboard />
        </RequireAuth>
      </main>
    </div>
  )
}
