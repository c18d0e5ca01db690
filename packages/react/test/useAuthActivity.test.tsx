// @vitest-environment happy-dom
import { act, cleanup, render, renderHook, screen } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { AuthProvider, isLoginError, RequireAuth, useAuth, type AuthClient } from '../src/index'
import { credentials, TODOS, useMockAuthServer } from './mockAuthServer'

const { mock, createClient, loggedInClient } = useMockAuthServer()
afterEach(cleanup)

const provider = (auth: AuthClient) =>
  function Wrapper({ children }: { children: ReactNode }) {
    return <AuthProvider client={auth}>{children}</AuthProvider>
  }

/** A transport that holds every request until `release()`: a login that is visibly under way. */
function heldFetch() {
  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  const fetch: typeof globalThis.fetch = (input, init) => held.then(() => globalThis.fetch(input, init))
  return { fetch, release }
}

describe('useAuth().isLoggingIn and error', () => {
  it('isLoggingIn is true while a login is under way, in every component, and false once it is answered', async () => {
    const { fetch, release } = heldFetch()
    const auth = createClient({ fetch })
    const form = renderHook(() => useAuth(), { wrapper: provider(auth) })
    const header = renderHook(() => useAuth(), { wrapper: provider(auth) })
    expect(form.result.current.isLoggingIn).toBe(false)

    let login!: Promise<unknown>
    act(() => {
      login = form.result.current.login(credentials)
    })
    expect(form.result.current.isLoggingIn).toBe(true)
    expect(header.result.current.isLoggingIn).toBe(true)
    expect(form.result.current.status).toBe('unauthenticated')

    await act(async () => {
      release()
      await login
    })
    expect(form.result.current).toMatchObject({ isLoggingIn: false, status: 'authenticated', error: null })
    expect(header.result.current.isLoggingIn).toBe(false)
  })

  it('a refused login leaves its LoginError in error for every reader, and the next successful login clears it', async () => {
    const auth = createClient()
    const { result } = renderHook(() => useAuth(), { wrapper: provider(auth) })

    let rejection: unknown
    await act(() => result.current.login({ ...credentials, password: 'wrong' }).catch((error: unknown) => (rejection = error)))

    expect(isLoginError(result.current.error)).toBe(true)
    expect(result.current.error).toBe(rejection)
    expect(result.current.error?.error).toBe('invalid_credentials')
    expect(result.current.isLoggingIn).toBe(false)
    // A component mounted later sees the same error: it belongs to the client, not to one component.
    expect(renderHook(() => useAuth(), { wrapper: provider(auth) }).result.current.error).toBe(rejection)

    await act(() => result.current.login(credentials))
    expect(result.current.error).toBeNull()
  })

  it('a login the client made itself (not through the hook) also clears the error', async () => {
    const auth = createClient()
    const { result } = renderHook(() => useAuth(), { wrapper: provider(auth) })
    await act(() => result.current.login({ ...credentials, password: 'wrong' }).catch(() => undefined))
    expect(result.current.error).not.toBeNull()

    await act(() => auth.login(credentials))

    expect(result.current.error).toBeNull()
    expect(result.current.isLoggingIn).toBe(false)
  })

  it('a refresh that failed shows as error while the session stays', async () => {
    const auth = await loggedInClient()
    const { result } = renderHook(() => useAuth(), { wrapper: provider(auth) })
    mock.faults.failNextRefresh(503)

    await act(() => auth.refresh().catch(() => undefined))

    expect(result.current.error).toMatchObject({ name: 'NetworkError', status: 503 })
    expect(result.current.status).toBe('authenticated')
  })

  it('the login form that replaces an expired page shows why: the error outlives the component that saw it', async () => {
    const auth = await loggedInClient()
    function LoginForm() {
      const { error } = useAuth()
      return <p role="alert">{error?.code ?? 'no error'}</p>
    }
    // The protected page reads no useAuth() at all: the error is kept by the provider's client binding.
    render(
      <AuthProvider client={auth}>
        <RequireAuth fallback={<LoginForm />}>
          <p>Secret page</p>
        </RequireAuth>
      </AuthProvider>,
    )
    expect(screen.getByText('Secret page')).toBeTruthy()

    mock.clock.advance(86_400 + 1)
    await act(() => auth.fetch(TODOS).catch(() => undefined))

    expect(screen.getByRole('alert').textContent).toBe('session_expired')
  })

  it('a logout keeps no error, and the login and logout functions keep their identity', async () => {
    const auth = await loggedInClient()
    const { result } = renderHook(() => useAuth(), { wrapper: provider(auth) })
    const { login, logout } = result.current

    await act(() => result.current.logout())

    expect(result.current).toMatchObject({ status: 'unauthenticated', error: null, isLoggingIn: false })
    expect(result.current.login).toBe(login)
    expect(result.current.logout).toBe(logout)
  })
})
