import { isLoginError, useAuth } from '@tokenrail/react'
import { useState, type FormEvent } from 'react'

export function LoginForm() {
  const { login } = useAuth()
  const [error, setError] = useState<string>()
  const [busy, setBusy] = useState(false)

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    setBusy(true)
    setError(undefined)
    login({ username: form.get('username'), password: form.get('password') })
      .catch((reason: unknown) =>
        setError(
          isLoginError(reason)
            ? 'Wrong username or password.'
            : 'The server could not be reached. Another origin? Start it with --cors <this page’s origin>.',
        ),
      )
      .finally(() => setBusy(false))
  }

  return (
    <form className="card login" onSubmit={submit} aria-label="Sign in">
      <h2>Sign in</h2>
      <label>
        Username <input name="username" autoComplete="username" required />
      </label>
      <label>
        Password <input name="password" type="password" autoComplete="current-password" required />
      </label>
      <button className="button primary" type="submit" disabled={busy}>
        {busy ? 'Signing in…' : 'Sign in'}
      </button>
      {error && <p role="alert">{error}</p>}
      <p className="hint">
        Demo user: <code>demo</code> / <code>demo-password</code>
      </p>
    </form>
  )
}
