// @vitest-environment happy-dom
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient, type AuthClient } from '../src'
import { API, credentials, useMockApi } from './mockApi'

const { mock } = useMockApi({ accessTokenTtl: 300 })

let auth: AuthClient
let visibility: DocumentVisibilityState = 'visible'
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  visibility = 'visible'
  vi.spyOn(document, 'visibilityState', 'get').mockImplementation(() => visibility)
  auth = createAuthClient({ baseURL: API, refreshLeeway: 30, crossTab: false })
})
afterEach(() => {
  auth.destroy()
  vi.useRealTimers()
  vi.restoreAllMocks()
})

const setVisibility = (state: DocumentVisibilityState) => {
  visibility = state
  document.dispatchEvent(new Event('visibilitychange'))
}

describe('auto refresh', () => {
  it('is on by default where a document exists, and refreshes at the leeway without any request', async () => {
    await auth.login(credentials)
    const first = auth.getState().accessToken
    await vi.advanceTimersByTimeAsync(269_000)
    expect(mock.stats.refreshAttempts).toBe(0)
    await vi.advanceTimersByTimeAsync(1_000)
    await vi.waitFor(() => expect(auth.getState().accessToken).not.toBe(first))
    expect(mock.stats.refreshes).toBe(1)
    // and again one lifetime later, from the new token
    await vi.advanceTimersByTimeAsync(270_000)
    await vi.waitFor(() => expect(mock.stats.refreshes).toBe(2))
  })

  it('does not refresh while the page is hidden, and catches up when it becomes visible', async () => {
    await auth.login(credentials)
    setVisibility('hidden')
    await vi.advanceTimersByTimeAsync(600_000)
    expect(mock.stats.refreshAttempts).toBe(0)
    setVisibility('visible')
    await vi.waitFor(() => expect(mock.stats.refreshes).toBe(1))
    expect(auth.getState().status).toBe('authenticated')
  })

  it('compares clock times, so a timer that fires late after the machine slept refreshes once', async () => {
    await auth.login(credentials)
    // The machine sleeps an hour: the clock jumps, the timer has not fired yet.
    vi.setSystemTime(Date.now() + 3600_000)
    await vi.advanceTimersByTimeAsync(270_000)
    await vi.waitFor(() => expect(mock.stats.refreshAttempts).toBe(1))
    expect(mock.stats.refreshes).toBe(1)
  })

  it('a timer that fires before the token is due by the clock (clock set back) waits instead of refreshing', async () => {
    await auth.login(credentials)
    vi.setSystemTime(Date.now() - 120_000)
    await vi.advanceTimersByTimeAsync(270_000)
    expect(mock.stats.refreshAttempts).toBe(0)
    await vi.advanceTimersByTimeAsync(120_000)
    await vi.waitFor(() => expect(mock.stats.refreshes).toBe(1))
  })

  it('becoming visible before the token is due does not refresh', async () => {
    await auth.login(credentials)
    setVisibility('hidden')
    await vi.advanceTimersByTimeAsync(60_000)
    setVisibility('visible')
    await vi.advanceTimersByTimeAsync(0)
    expect(mock.stats.refreshAttempts).toBe(0)
  })

  it('after a failed refresh tries again when the backoff window ends', async () => {
    await auth.login(credentials)
    mock.faults.failNextRefresh(503, 2)
    await vi.advanceTimersByTimeAsync(270_000)
    await vi.waitFor(() => expect(mock.stats.refreshAttempts).toBe(1))
    await vi.advanceTimersByTimeAsync(1_000)
    await vi.waitFor(() => expect(mock.stats.refreshAttempts).toBe(2))
    await vi.advanceTimersByTimeAsync(2_000)
    await vi.waitFor(() => expect(mock.stats.refreshes).toBe(1))
    expect(mock.stats.refreshAttempts).toBe(3)
  })

  it('stops after logout and after destroy', async () => {
    await auth.login(credentials)
    await auth.logout()
    await vi.advanceTimersByTimeAsync(600_000)
    await auth.login(credentials)
    auth.destroy()
    await vi.advanceTimersByTimeAsync(600_000)
    expect(mock.stats.refreshAttempts).toBe(0)
  })

  it('a refused refresh from the timer ends the session with one sessionExpired and no unhandled rejection', async () => {
    await auth.login(credentials)
    const expired = vi.fn()
    auth.on('sessionExpired', expired)
    mock.reset()
    await vi.advanceTimersByTimeAsync(270_000)
    await vi.waitFor(() => expect(auth.getState().status).toBe('unauthenticated'))
    expect(expired).toHaveBeenCalledTimes(1)
    await vi.advanceTimersByTimeAsync(600_000)
    expect(mock.stats.refreshAttempts).toBe(1)
  })

  it('adds its visibility listener only while a refresh is scheduled', async () => {
    const add = vi.spyOn(document, 'addEventListener')
    const remove = vi.spyOn(document, 'removeEventListener')
    const visibilityCalls = (spy: typeof add) => spy.mock.calls.filter(([type]) => type === 'visibilitychange').length
    expect(visibilityCalls(add)).toBe(0)
    await auth.login(credentials)
    expect(visibilityCalls(add)).toBe(1)
    await auth.logout()
    expect(visibilityCalls(remove)).toBe(1)
  })
})
