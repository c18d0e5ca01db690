import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient, webStorage } from '../../src'
import { fakeWebStorage } from '../fakeStorage'
import { API, createFakeAuthServer } from './fakeAuthServer'
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

describe('a session adopted while a refresh of the previous session is in flight', () => {
  const server = () => {
    const fake = createFakeAuthServer()
    const auth = createAuthClient({ baseURL: API, fetch: fake.fetch, crossTab: false })
    const tokens = () => {
      const pair = fake.newSession()
      return { accessToken: pair.accessToken, refreshToken: pair.refreshToken, expiresIn: pair.expiresIn }
    }
    return { fake, auth, tokens }
  }
  const tick = () => new Promise((resolve) => setImmediate(resolve))

  // Counterexample: [{"start":"stored","storage":"sync","autoRefresh":true},[{"do":"advance","ms":61000},
  //   {"do":"setTokens","tokens":"fresh"},{"do":"fetch","to":"api","abortable":false},{"do":"expireOnServer"}]]
  it('sends its requests with its own token instead of failing them with the old refresh', async () => {
    const { fake, auth, tokens } = server()
    auth.setTokens(tokens())
    const stale = auth.refresh()
    stale.catch(() => undefined)
    await tick()
    const next = tokens()
    auth.setTokens(next)
    const response = auth.fetch(`${API}/api/todos`)
    await tick()
    expect(fake.pending.map((request) => request.kind)).toEqual(['refresh', 'api'])
    fake.answerAll('auto')
    expect((await response).status).toBe(200)
    await expect(stale).rejects.toMatchObject({ name: 'SessionExpiredError', code: 'logged_out' })
    expect(auth.getState()).toMatchObject({ accessToken: next.accessToken, refreshing: false })
  })

  it('refreshes its own token once the old refresh has left the wire, never two at once', async () => {
    const { fake, auth, tokens } = server()
    auth.setTokens(tokens())
    const stale = auth.refresh()
    stale.catch(() => undefined)
    await tick()
    const next = tokens()
    auth.setTokens(next)
    fake.expireAccessTokens()
    const response = auth.fetch(`${API}/api/todos`)
    await tick()
    fake.answer(1, 'auto') // the API answers 401 for the new session's token
    await tick()
    expect(fake.pending.map((request) => request.kind)).toEqual(['refresh'])
    fake.answer(0, 'auto') // the old session's refresh comes back, and is discarded
    await tick()
    expect(fake.pending.map((request) => [request.kind, request.refreshToken])).toEqual([['refresh', next.refreshToken]])
    fake.answerAll('auto') // the new session's refresh
    await tick()
    fake.answerAll('auto') // the retry
    expect((await response).status).toBe(200)
    expect(auth.getState()).toMatchObject({ status: 'authenticated', refreshing: false })
    expect(auth.getState().accessToken).not.toBe(next.accessToken)
  })
})

describe('the backoff window after a failed refresh', () => {
  // Counterexample: [{"start":"nobody","storage":"sync","tabs":"locks","autoRefresh":false},[{"do":"setTokens",
  //   "tokens":"fresh"},{"do":"refresh"},{"do":"advance","ms":61000},{"do":"clockJump","ms":-7200000}]]
  it('lets the next refresh out when the client clock is set back, instead of waiting hours for it to catch up', async () => {
    const fake = createFakeAuthServer()
    let clock = Date.UTC(2027, 0, 1)
    const auth = createAuthClient({ baseURL: API, fetch: fake.fetch, crossTab: false, now: () => clock })
    const { accessToken, refreshToken } = fake.newSession()
    auth.setTokens({ accessToken, refreshToken })
    const failed = auth.refresh()
    await new Promise((resolve) => setImmediate(resolve))
    fake.answerAll('network')
    await expect(failed).rejects.toMatchObject({ name: 'NetworkError' })

    clock -= 2 * 3600_000 // the clock is corrected two hours back: the window can no longer be measured
    const second = auth.refresh()
    await new Promise((resolve) => setImmediate(resolve))
    expect(fake.pending.map((request) => request.kind)).toEqual(['refresh'])
    fake.answerAll('auto')
    const token = await second
    expect(token).toBe(auth.getState().accessToken)
  })
})

describe('a refresh of an ended session that fails', () => {
  // Counterexample: [{"start":"stored","storage":"sync","tabs":"locks","autoRefresh":false},[{"do":"fetch","to":"api",
  //   "abortable":false},{"do":"answer","pick":0,"outcome":"401"},{"do":"deliver"},{"do":"setTokens","tokens":"opaque"},
  //   {"do":"fetch","to":"api","abortable":false},{"do":"answer","pick":1,"outcome":"auto"},{"do":"answer","pick":0,"outcome":"html"}]]
  it('is discarded like a late success: no error event, no backoff for the session that replaced it', async () => {
    const fake = createFakeAuthServer()
    const auth = createAuthClient({ baseURL: API, fetch: fake.fetch, crossTab: false })
    const errors = vi.fn()
    auth.on('error', errors)
    const first = fake.newSession()
    auth.setTokens({ accessToken: first.accessToken, refreshToken: first.refreshToken })
    const stale = auth.refresh()
    stale.catch(() => undefined)
    await new Promise((resolve) => setImmediate(resolve))
    const next = fake.newSession()
    auth.setTokens({ accessToken: next.accessToken, refreshToken: next.refreshToken })
    const own = auth.refresh()
    fake.answerAll('5xx')
    await expect(stale).rejects.toMatchObject({ name: 'SessionExpiredError', code: 'logged_out' })
    await new Promise((resolve) => setImmediate(resolve))
    expect(fake.pending.map((request) => [request.kind, request.refreshToken])).toEqual([['refresh', next.refreshToken]])
    fake.answerAll('auto')
    expect(await own).toBe(auth.getState().accessToken)
    expect(errors).not.toHaveBeenCalled()
  })
})

describe('a refresh answered after destroy()', () => {
  it('starts no timer and opens no channel: a destroyed client does not come back to life', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    try {
      const tabs = createFakeTabs()
      vi.stubGlobal('BroadcastChannel', tabs.BroadcastChannel)
      const fake = createFakeAuthServer()
      const auth = createAuthClient({ baseURL: API, fetch: fake.fetch, crossTab: true, autoRefresh: true })
      const { accessToken, refreshToken } = fake.newSession()
      auth.setTokens({ accessToken, refreshToken })
      const refreshing = auth.refresh()
      await vi.advanceTimersByTimeAsync(0)
      while (tabs.deliverNext()) await vi.advanceTimersByTimeAsync(0)
      expect(fake.pending.map((request) => request.kind)).toEqual(['refresh'])
      auth.destroy()
      expect(vi.getTimerCount()).toBe(1) // the refresh request's own timeout
      fake.answerAll('auto')
      await refreshing
      expect(vi.getTimerCount()).toBe(0)
      expect(tabs.openChannels).toBe(0)
    } finally {
      vi.useRealTimers()
    }
  })
})
