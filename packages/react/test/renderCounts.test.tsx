// @vitest-environment happy-dom
import { act, cleanup, render, renderHook, screen } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { AuthProvider, useAuth, useAuthState, useUser, type AuthClient } from '../src/index'
import { credentials, useMockAuthServer } from './mockAuthServer'

const { createClient, loggedInClient } = useMockAuthServer()
afterEach(cleanup)

const renders: Record<string, number> = {}
const counted = (name: string) => (renders[name] = (renders[name] ?? 0) + 1)
beforeEach(() => {
  for (const name of Object.keys(renders)) delete renders[name]
})

function Status() {
  counted('status')
  return <p>{useAuthState((state) => state.status)}</p>
}
function Refreshing() {
  counted('refreshing')
  return <p data-testid="refreshing">{String(useAuthState((state) => state.refreshing))}</p>
}
function UserName() {
  counted('user')
  return <p>{String(useUser()?.name)}</p>
}
function Session() {
  counted('useAuth')
  return <p>{useAuth().status}</p>
}
function NameObject() {
  counted('nameObject')
  // A new object from every call: equal by `isEqual`, so it must neither loop nor re-render.
  const { name } = useAuthState(
    (state) => ({ name: state.user?.name }),
    (a, b) => a.name === b.name,
  )
  return <p>{String(name)}</p>
}

/** Every consumer is a sibling right under the provider, so a render is caused by its own subscription only. */
function renderAll(auth: AuthClient) {
  render(
    <AuthProvider client={auth}>
      <Status />
      <Refreshing />
      <UserName />
      <Session />
      <NameObject />
    </AuthProvider>,
  )
}

describe('render counts', () => {
  it('a refresh re-renders the readers of the user, never the readers of the status or of an equal selection', async () => {
    const auth = await loggedInClient()
    renderAll(auth)
    expect(renders).toEqual({ status: 1, refreshing: 1, user: 1, useAuth: 1, nameObject: 1 })

    let refresh!: Promise<string>
    act(() => {
      refresh = auth.refresh()
    })
    expect(screen.getByTestId('refreshing').textContent).toBe('true')
    await act(() => refresh)

    // The `refreshing` readers saw the flag go up and down: the state did change under everyone.
    expect(renders.refreshing).toBe(3)
    // New token, new claims: one render for the user's readers, none for the flag's progress.
    expect(renders.user).toBe(2)
    expect(renders.useAuth).toBe(2)
    expect(renders.status).toBe(1)
    expect(renders.nameObject).toBe(1)
  })

  it('a logout re-renders each reader once', async () => {
    const auth = await loggedInClient()
    renderAll(auth)

    await act(() => auth.logout())

    expect(renders).toEqual({ status: 2, refreshing: 1, user: 2, useAuth: 2, nameObject: 2 })
    expect(screen.getAllByText('unauthenticated')).toHaveLength(2)
  })

  it('a login re-renders each reader once: the new session and the cleared error come in one render', async () => {
    const auth = createClient()
    renderAll(auth)

    await act(() => auth.login(credentials))

    expect(renders).toEqual({ status: 2, refreshing: 1, user: 2, useAuth: 2, nameObject: 2 })
  })

  it('a selector that reads props sees the new props on the next render', async () => {
    const auth = await loggedInClient()
    const wrapper = ({ children }: { children: ReactNode }) => <AuthProvider client={auth}>{children}</AuthProvider>
    const { result, rerender } = renderHook(
      ({ claim }: { claim: string }) => useAuthState((state) => state.user?.[claim]),
      { wrapper, initialProps: { claim: 'name' } },
    )
    expect(result.current).toBe('Demo User')

    rerender({ claim: 'email' })

    expect(result.current).toBe('demo@example.com')
  })

  it('login and logout keep their identity across renders', async () => {
    const auth = await loggedInClient()
    const wrapper = ({ children }: { children: ReactNode }) => <AuthProvider client={auth}>{children}</AuthProvider>
    const { result } = renderHook(() => useAuth(), { wrapper })
    const { login, logout } = result.current

    await act(() => auth.refresh())
    expect(result.current.user).not.toBeNull()
    await act(() => result.current.logout())

    expect(result.current.status).toBe('unauthenticated')
    expect(result.current.login).toBe(login)
    expect(result.current.logout).toBe(logout)
    expect(result.current.client).toBe(auth)
  })
})
