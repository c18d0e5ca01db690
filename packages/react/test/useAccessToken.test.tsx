// @vitest-environment happy-dom
import { act, cleanup, render, renderHook, screen } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterEach, describe, expect, it } from 'vitest'
import { AuthProvider, useAccessToken, type AuthClient } from '../src/index'
import { useMockAuthServer } from './mockAuthServer'

const { mock, createClient, loggedInClient } = useMockAuthServer()
afterEach(cleanup)

const wrapper = (auth: AuthClient) =>
  function Wrapper({ children }: { children: ReactNode }) {
    return <AuthProvider client={auth}>{children}</AuthProvider>
  }

describe('useAccessToken()', () => {
  it('resolves the current token, and refreshes first once the token is within the leeway', async () => {
    let now = Date.now()
    const auth = await loggedInClient({ now: () => now })
    const { result } = renderHook(() => useAccessToken(), { wrapper: wrapper(auth) })
    const first = auth.getState().accessToken

    expect(await result.current()).toBe(first)
    expect(mock.stats.refreshes).toBe(0)

    // 300 s tokens, 30 s leeway: at 271 s the token no longer counts as valid, on the client's clock.
    now += 271_000
    mock.clock.advance(271)
    const fresh = await act(() => result.current())

    expect(mock.stats.refreshes).toBe(1)
    expect(fresh).not.toBe(first)
    expect(fresh).toBe(auth.getState().accessToken)
  })

  it('resolves null when nobody is logged in', async () => {
    const { result } = renderHook(() => useAccessToken(), { wrapper: wrapper(createClient()) })
    expect(await result.current()).toBeNull()
  })

  it('is the same function on every render, and a refresh re-renders nothing that reads it', async () => {
    const auth = await loggedInClient()
    let renders = 0
    let seen: (() => Promise<string | null>)[] = []
    function Caller() {
      renders++
      seen = [...seen, useAccessToken()]
      return <p>ready</p>
    }
    render(
      <AuthProvider client={auth}>
        <Caller />
      </AuthProvider>,
    )

    await act(() => auth.refresh())
    await act(() => auth.logout())

    expect(renders).toBe(1)
    expect(screen.getByText('ready')).toBeTruthy()
    expect(new Set(seen).size).toBe(1)
  })
})
