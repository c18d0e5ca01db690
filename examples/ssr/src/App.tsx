import { useState, type FormEvent } from 'react'
import { RequireAuth, useAuth, useAuthClient, useUser } from '@tokenrail/react'
import type { Todo, User } from './pageData'

/** The page: the user's todos when logged in (fetched by the server first), a login form otherwise. */
export function App({ todos }: { todos: Todo[] | null }) {
  return (
    <RequireAuth fallback={<LoginForm />} loading={<p>Checking your session…</p>}>
      <Profile todos={todos} />
    </RequireAuth>
  )
}

function LoginForm() {
  const { login, isLoggingIn, error } = useAuth()
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = new FormData(event.currentTarget)
    // A refusal shows through `error`; a successful login re-renders this page as the user's.
    login({ username: form.get('username'), password: form.get('password') }).catch(() => undefined)
  }
  return (
    <form onSubmit={submit} aria-label="Sign in">
      <label>
        Username <input name="username" autoComplete="username" />
      </label>
      <label>
        Password <input name="password" type="password" autoComplete="current-password" />
      </label>
      <button type="submit" disabled={isLoggingIn}>
        Sign in
      </button>
      {error && <p role="alert">{error.code === 'login_failed' ? 'Wrong username or password' : 'Try again'}</p>}
    </form>
  )
}

function Profile({ todos: fromServer }: { todos: Todo[] | null }) {
  const user = useUser<User>()
  const { logout } = useAuth()
  const client = useAuthClient()
  const [todos, setTodos] = useState(fromServer ?? [])
  async function reload() {
    // The client's fetch: Bearer header, and a transparent refresh when the token has expired.
    const response = await client.fetch('/api/todos')
    if (response.ok) setTodos((await response.json()) as Todo[])
  }
  return (
    <main>
      <h1>{`Signed in as ${user?.name}`}</h1>
      <section aria-label="Todos">
        <ul>
          {todos.map((todo) => (
            <li key={todo.id}>{todo.title}</li>
          ))}
        </ul>
        <button onClick={() => void reload()}>Reload todos</button>
      </section>
      <button onClick={() => void logout()}>Log out</button>
    </main>
  )
}
