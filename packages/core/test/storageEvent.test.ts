// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient, webStorage, type AuthClient } from '../src'
import { fakeWebStorage } from './fakeStorage'
import { API, credentials, useMockApi } from './mockApi'

useMockApi()

let tabs: AuthClient[] = []
afterEach(() => {
  tabs.forEach((tab) => tab.destroy())
  tabs = []
  vi.unstubAllGlobals()
})

describe('the storage event, where BroadcastChannel is missing', () => {
  it('lets a tab follow another tab’s login and logout through shared web storage', async () => {
    vi.stubGlobal('BroadcastChannel', undefined)
    const area = fakeWebStorage()
    const [a, b] = [0, 1].map(() => createAuthClient({ baseURL: API, storage: webStorage(area), crossTab: true, autoRefresh: false }))
    tabs.push(a!, b!)
    b!.subscribe(() => undefined)
    // The browser fires `storage` in the other tabs after a write: here, by hand, with what was written.
    const announce = () =>
      window.dispatchEvent(new StorageEvent('storage', { key: 'tokenrail', newValue: area.getItem('tokenrail') }))

    await a!.login(credentials)
    announce()
    expect(b!.getState()).toMatchObject({ status: 'authenticated', accessToken: a!.getState().accessToken })

    window.dispatchEvent(new StorageEvent('storage', { key: 'other-key', newValue: null }))
    expect(b!.getState().status).toBe('authenticated')

    await a!.logout()
    announce()
    expect(b!.getState().status).toBe('unauthenticated')
  })
})
