// What both recipes route to: a login form and two protected pages. Nothing here knows the router.
import { useState, type FormEvent } from 'react'
import { useAuth, useUser } from '@tokenrail/react'

/** Calls `onLoggedIn` once the login succeeded; shows why it did not, from `useAuth().error`. */
export function LoginForm({ onLoggedIn }: { onLoggedIn: () => void }) {
  const { login, isLoggingIn, error } = useAuth()
  const [username, setUsername] = useState('')
  const [password, setPassword] = useState('')
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    // The rejection is shown through `error`; nothing else to do with it here.
    login({ username, password }).then(onLoggedIn, () => undefined)
  }
  return (
    <form onSubmit={submit} aria-label="Sign in">
      <label>
        Username <input value={username} onChange={(event) => setUsername(event.target.value)} autoComplete="username" />
      </label>
      <label>
        Password{' '}
        <input type="password" value={password} onChange={(event) => setPassword(event.target.value)} autoComplete="current-password" />
      </label>
      <button type="submit" disabled={isLoggingIn}>
        {isLoggingIn ? 'Signing in…' : 'Sign in'}
      </button>
      {error && (
        <p role="alert">
          {error.code === 'login_failed' ? 'Wrong username or password' : error.code === 'session_expired' ? 'Your session expired' : 'Try again'}
        </p>
      )}
    </form>
  )
}

export function Home() {
  return <h1>Home</h1>
}

export function Settings() {
  const user = useUser<{ name: string }>()
  const { logout } = useAuth()
  return (
    <section aria-label="Settings">
      <h1>{`Settings of ${user?.name}`}</h1>
      <button onClick={() => void logout()}>Log out</button>
    </section>
  )
}
