import { isSessionExpiredError, useAuthClient } from '@tokenrail/react'
import { useCallback, useEffect, useState, type FormEvent } from 'react'
import { useDemo } from './demoContext'
import { serverURL } from './demoOptions'

interface Todo {
  id: string
  title: string
  done: boolean
}

/**
 * The protected demo API through `client.fetch`: the Bearer header, the refresh on a 401 and the retry all
 * happen inside the client, so this component only ever sees the final answer.
 */
export function Todos() {
  const client = useAuthClient()
  const { options, timeline } = useDemo()
  const [todos, setTodos] = useState<Todo[]>()
  const [error, setError] = useState<string>()

  const call = useCallback(
    async (init?: RequestInit): Promise<Response | undefined> => {
      setError(undefined)
      try {
        // timeline.call() only numbers the call for the page's request timeline; client.fetch does the rest.
        const response = await client.fetch(serverURL(options, '/api/todos'), timeline.call(init))
        if (!response.ok) setError(`The API answered ${response.status}.`)
        return response.ok ? response : undefined
      } catch (reason) {
        // A session that ended shows the login form by itself, a call the page gave up needs nothing; anything
        // else is worth saying.
        if (!isSessionExpiredError(reason) && !init?.signal?.aborted) setError('The API could not be reached.')
        return undefined
      }
    },
    [client, options, timeline],
  )

  const load = useCallback(
    async (signal?: AbortSignal) => {
      const response = await call({ signal })
      if (response) setTodos((await response.json()) as Todo[])
    },
    [call],
  )

  useEffect(() => {
    // StrictMode mounts twice in development: the first mount's call is aborted (the timeline shows it).
    const controller = new AbortController()
    void load(controller.signal)
    return () => controller.abort()
  }, [load])

  async function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault()
    const form = event.currentTarget
    const title = new FormData(form).get('title')
    const response = await call({ method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title }) })
    if (!response) return
    const todo = (await response.json()) as Todo
    setTodos((current) => [...(current ?? []), todo])
    form.reset()
  }

  return (
    <section className="card todos" aria-label="Todos">
      <h2>Your todos</h2>
      {todos === undefined ? (
        <p>Loading…</p>
      ) : todos.length === 0 ? (
        <p className="hint">Nothing yet: add one below.</p>
      ) : (
        <ul>
          {todos.map((todo) => (
            <li key={todo.id}>{todo.title}</li>
          ))}
        </ul>
      )}
      <form className="inline" onSubmit={(event) => void add(event)} aria-label="Add a todo">
        <input name="title" placeholder="Something to do" maxLength={200} required aria-label="New todo" />
        <button className="button primary" type="submit">
          Add
        </button>
        <button className="button" type="button" onClick={() => void load()}>
          Reload
        </button>
      </form>
      {error && <p role="alert">{error}</p>}
    </section>
  )
}
