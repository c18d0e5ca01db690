import { useState, type FormEvent } from 'react'
import { isLoginError, RequireAuth, useAuth, useUser } from '../src/index'

/** A small app as a tokenrail user would write it: a login form, a protected profile page, a logout button. */
export function LoginFlow() {
  return (
    <RequireAuth fallback={<LoginForm />} loading={<p>Loading…</p>}>
      <Profile />
    </RequireAuth>
  )
}

function LoginForm() {
  const { login } = useAuth()
  const [error, setError] = useState<string>()

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    login({ username: form.get('username'), password: form.get('password') }).catch((reason: unknown) =>
      setError(isLoginError(reason) ? `Login refused: ${reason.error}` : 'Login failed'),
    )
  }

  return (
    <form onSubmit={submit} aria-label="Sign in">
      <label>
        Username <input name="username" />
      </label>
      <label>
        Password <input name="password" type="password" />
      </label>
      <button type="submit">Sign in</button>
      {error && <p role="alert">{error}</p>}
    </form>
  )
}

function Profile() {
  const user = useUser<{ name: string; jti: string }>()
  const { logout } = useAuth()
  return (
    <main>
      <p>Signed in as {user?.name}</p>
      <p data-testid="token-id">{user?.jti}</p>
      <button onClick={() => void logout()}>Sign out</button>
    </main>
  )
}
