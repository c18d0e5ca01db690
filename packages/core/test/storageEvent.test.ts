// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient, webStorage, type AuthClient } from '../src'
import { fakeWebStorage } from './fakeStorage'
import { API, credentials, delivered, holdAnswer, useMockApi } from './mockApi'

const { mock, server, to } = useMockApi()

let tabs: AuthClient[] = []
afterEach(() => {
  tabs.forEach((tab) => tab.destroy())
  tabs = []
  vi.unstubAllGlobals()
})

describe('the storage event is not listened to: the channel alone speaks', () => {
  // The event cannot tell a login from a refresh nor an expiry from a logout, and browsers do not say whether
  // it or the channel's message comes first.
  function twoTabs() {
    const area = fakeWebStorage()
    const [a, b] = [0, 1].map(() => createAuthClient({ baseURL: API, storage: webStorage(area), crossTab: true, autoRefresh: false }))
    tabs.push(a!, b!)
    const announce = () => window.dispatchEvent(new StorageEvent('storage', { key: `tokenrail:${API}/`, newValue: area.getItem(`tokenrail:${API}/`) }))
    return { a: a!, b: b!, announce }
  }

  it('another tab’s new login heard through storage first still ends this tab’s refresh of the old session', async () => {
    const { a, b, announce } = twoTabs()
    await a.login(credentials)
    await vi.waitFor(() => expect(b.getState().accessToken).toBe(a.getState().accessToken))
    const answer = holdAnswer(server, '/auth/refresh', () => ({ accessToken: 'old-session-token', refreshToken: 'old-session-refresh', expiresIn: 300 }))
    const refreshing = b.refresh().catch((error: unknown) => error)
    await vi.waitFor(() => expect(to('/auth/refresh')).toHaveLength(1))
    await a.login(credentials)
    const fresh = a.getState().accessToken
    announce()
    await delivered()
    answer()
    expect(await refreshing).toMatchObject({ code: 'logged_out' })
    await delivered()
    expect(b.getState().accessToken).toBe(fresh)
  })

  it('another tab’s session expiry heard through storage first is a sessionExpired here, not a logout', async () => {
    const { a, b, announce } = twoTabs()
    await a.login(credentials)
    await vi.waitFor(() => expect(b.getState().accessToken).toBe(a.getState().accessToken))
    const expired = vi.fn()
    const loggedOut = vi.fn()
    b.on('sessionExpired', expired)
    b.on('logout', loggedOut)
    mock.reset() // the server forgets every session: the next refresh is refused
    await expect(a.refresh()).rejects.toMatchObject({ name: 'SessionExpiredError' })
    announce()
    await delivered()
    expect(b.getState().status).toBe('unauthenticated')
    expect([expired.mock.calls.length, loggedOut.mock.calls.length]).toEqual([1, 0])
  })
})
