// @vitest-environment happy-dom
import { act, cleanup, render, screen } from '@testing-library/react'
import { StrictMode } from 'react'
import { afterEach, expect, it, vi } from 'vitest'
import { AuthProvider, type AuthClient } from '../src/index'
import { LoginFlow } from './LoginFlow'
import { TODOS, useMockAuthServer } from './mockAuthServer'

const { mock, loggedInClient } = useMockAuthServer()
afterEach(cleanup)

/** Counts the listeners the client holds: every subscribe adds one, every unsubscribe removes one. */
function countSubscriptions(auth: AuthClient) {
  const counts = { subscribed: 0, active: 0 }
  const subscribe = auth.subscribe
  vi.spyOn(auth, 'subscribe').mockImplementation((listener) => {
    counts.subscribed++
    counts.active++
    const unsubscribe = subscribe(listener)
    return () => {
      counts.active--
      unsubscribe()
    }
  })
  return counts
}

it('under StrictMode, leaves one subscription per hook, starts no refresh, and one refresh renders once', async () => {
  const auth = await loggedInClient()
  const subscriptions = countSubscriptions(auth)
  const { unmount } = render(
    <StrictMode>
      <AuthProvider client={auth}>
        <LoginFlow />
      </AuthProvider>
    </StrictMode>,
  )

  // RequireAuth, and the profile's useUser and useAuth: three. StrictMode subscribed each twice.
  expect(subscriptions.active).toBe(3)
  expect(subscriptions.subscribed).toBe(6)
  expect(mock.stats.refreshAttempts).toBe(0)

  const before = screen.getByTestId('token-id').textContent
  mock.clock.advance(301)
  await act(() => auth.fetch(TODOS))

  expect(mock.stats.refreshAttempts).toBe(1)
  expect(screen.getByTestId('token-id').textContent).not.toBe(before)

  unmount()
  expect(subscriptions.active).toBe(0)
})
