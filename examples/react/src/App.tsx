import { RequireAuth } from '@tokenrail/react'
import { Dashboard } from './Dashboard'
import { DemoControls } from './DemoControls'
import type { DemoOptions } from './demoOptions'
import { LoginForm } from './LoginForm'
import type { MockBackend } from './mockServer'
import { RefreshLog } from './RefreshLog'

export function App({ backend, options }: { backend: MockBackend; options: DemoOptions }) {
  return (
    <div className="app">
      <header>
        <h1>tokenrail demo</h1>
        <p>JWT login with transparent refresh, against a mock auth server.</p>
      </header>
      <RequireAuth fallback={<LoginForm />} loading={<p className="card">Restoring the session…</p>}>
        <Dashboard />
      </RequireAuth>
      <RefreshLog />
      <DemoControls backend={backend} options={options} />
    </div>
  )
}
