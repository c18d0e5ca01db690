// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react'
import { StrictMode, useState } from 'react'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AuthProvider, RequireAuth, type AuthClient, type TokenStorage } from '../src/index'
import { credentials, TODOS, useMockAuthServer } from './mockAuthServer'

const { mock, createClient, loggedInClient } = useMockAuthServer()
afterEach(cleanup)

function renderGuard(auth: AuthClient, onUnauthenticated: () => void, strict = false) {
  let rerender!: () => void
  function Page() {
    // A new callback on every render, as an inline arrow in an app would be.
    const [, setCount] = useState(0)
    rerender = () => setCount((count) => count + 1)
    return (
      <RequireAuth fallback={<p>Redirecting…</p>} loading={<p>Checking…</p>} onUnauthenticated={() => onUnauthenticated()}>
        <p>Secret page</p>
      </RequireAuth>
    )
  }
  const tree = (
    <AuthProvider client={auth}>
      <Page />
    </AuthProvider>
  )
  render(strict ? <StrictMode>{tree}</StrictMode> : tree)
  return { rerender: () => act(rerender) }
}

/** A storage whose read answers when the test says, so the client stays `loading` until then. */
function slowStorage() {
  let answer!: (value: null) => void
  const read = new Promise<null>((resolve) => (answer = resolve))
  const storage: TokenStorage = { get: () => read, set: () => undefined, clear: () => undefined }
  return { storage, answer: (value: null) => act(async () => answer(value)) }
}

describe('<RequireAuth onUnauthenticated>', () => {
  it('is not called while the client is loading, and once when it settles logged out', async () => {
    const { storage, answer } = slowStorage()
    const redirect = vi.fn()
    renderGuard(createClient({ storage }), redirect)
    expect(screen.getByText('Checking…')).toBeTruthy()
    expect(redirect).not.toHaveBeenCalled()

    await answer(null)

    expect(screen.getByText('Redirecting…')).toBeTruthy()
    expect(redirect).toHaveBeenCalledTimes(1)
  })

  it('is called once on mount when nobody is logged in, and not again on re-renders with a new callback', () => {
    const redirect = vi.fn()
    const { rerender } = renderGuard(createClient(), redirect)
    rerender()
    rerender()
    expect(redirect).toHaveBeenCalledTimes(1)
  })

  it('is called once under StrictMode, whose effects run twice', () => {
    const redirect = vi.fn()
    renderGuard(createClient(), redirect, true)
    expect(redirect).toHaveBeenCalledTimes(1)
  })

  it('is called once per transition: never while logged in, once after a logout, once more after the session expired', async () => {
    const auth = await loggedInClient()
    const redirect = vi.fn()
    const { rerender } = renderGuard(auth, redirect)
    expect(screen.getByText('Secret page')).toBeTruthy()
    expect(redirect).not.toHaveBeenCalled()

    await act(() => auth.logout())
    rerender()
    expect(redirect).toHaveBeenCalledTimes(1)

    await act(() => auth.login(credentials))
    expect(screen.getByText('Secret page')).toBeTruthy()
    mock.clock.advance(86_400 + 1)
    await act(() => auth.fetch(TODOS).catch(() => undefined))

    expect(screen.getByText('Redirecting…')).toBeTruthy()
    expect(redirect).toHaveBeenCalledTimes(2)
  })
})
