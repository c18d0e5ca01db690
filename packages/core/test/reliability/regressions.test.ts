import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient, webStorage } from '../../src'
import { fakeWebStorage } from '../fakeStorage'
import { createFakeTabs } from './fakeTabs'

// Each case here was first found by the property suite; the shrunk counterexample is quoted above it.

afterEach(() => {
  vi.unstubAllGlobals()
})

describe('destroy()', () => {
  // Counterexample: [{"start":"stored","storage":"sync","autoRefresh":false},[]]
  it('works where the global scope has no event listeners (Node, crossTab on, web storage)', () => {
    const tabs = createFakeTabs()
    vi.stubGlobal('BroadcastChannel', tabs.BroadcastChannel)
    expect(typeof globalThis.removeEventListener).toBe('undefined')
    const auth = createAuthClient({ baseURL: 'https://api.example.com', crossTab: true, storage: webStorage(fakeWebStorage()) })
    auth.subscribe(() => undefined)
    expect(tabs.openChannels).toBe(1)
    expect(() => auth.destroy()).not.toThrow()
    expect(tabs.openChannels).toBe(0)
  })
})
