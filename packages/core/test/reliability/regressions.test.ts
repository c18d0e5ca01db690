import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient, webStorage, type AuthClientOptions } from '../../src'
import { fakeWebStorage } from '../fakeStorage'
import { API, createFakeAuthServer } from './fakeAuthServer'
import { createFakeTabs } from './fakeTabs'

// Defects the reliability suites found, each pinned by the smallest scenario that shows it. Where the
// property suite found it, its shrunk counterexample is quoted above the test.

afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

const tick = () => new Promise((resolve) => setImmediate(resolve))

/** A client over the in-memory server; `adopt()` hands it a new session the way setTokens does. */
function clientOnFakeServer(options: Partial<AuthClientOptions> = {}) {
  const fake = createFakeAuthServer()
  const auth = createAuthClient({ baseURL: API, fetch: fake.fetch, crossTab: false, ...options })
  const adopt = () => {
    const { accessToken, refreshToken } = fake.newSession()
    auth.setTokens({ accessToken, refreshToken })
    return { accessToken, refreshToken }
  }
  const sent = () => fake.pending.map((request) => [request.kind, request.refreshToken])
  return { fake, auth, adopt, sent }
}

/** A refresh out for one session when a second session is adopted: the second's tokens are returned. */
async function sessionReplacedDuringRefresh(options?: Partial<AuthClientOptions>) {
  const client = clientOnFakeServer(options)
  client.adopt()
  const stale = client.auth.refresh()
  stale.catch(() => undefined)
  await tick()
  return { ...client, stale, next: client.adopt() }
}

describe('destroy()', () => {
  // Counterexample: [{"start":"stored","storage":"sync","autoRefresh":false},[]]
  it('works where the global scope has no event listeners (Node, crossTab on, web storage)', () => {
    const tabs = createFakeTabs()
    vi.stubGlobal('BroadcastChannel', tabs.BroadcastChannel)
    expect(typeof globalThis.removeEventListener).toBe('undefined')
    const auth = createAuthClient({ baseURL: API, crossTab: true, storage: webStorage(fakeWebStorage()) })
    auth.subscribe(() => undefined)
    // Its channel, and the one its question to the open tabs is answered on while it waits.
    expect(tabs.openChannels).toBe(2)
    expect(() => auth.destroy()).not.toThrow()
    expect(tabs.openChannels).toBe(0)
  })

  it('is final: a refresh answered afterwards starts no timer and opens no channel', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    const tabs = createFakeTabs()
    vi.stubGlobal('BroadcastChannel', tabs.BroadcastChannel)
    const { fake, auth, adopt, sent } = clientOnFakeServer({ crossTab: true, autoRefresh: true })
    await vi.advanceTimersByTimeAsync(50) // nobody answers its question to the open tabs
    adopt()
    const refreshing = auth.refresh()
    await vi.advanceTimersByTimeAsync(0)
    while (tabs.deliverNext()) await vi.advanceTimersByTimeAsync(0)
    expect(sent()).toHaveLength(1)
    auth.destroy()
    expect(vi.getTimerCount()).toBe(1) // the refresh request's own timeout
    fake.answerAll('auto')
    await refreshing
    expect(vi.getTimerCount()).toBe(0)
    expect(tabs.openChannels).toBe(0)
  })
})

describe('a session adopted while a refresh of the previous session is in flight', () => {
  // Counterexample: [{"start":"stored","storage":"sync","autoRefresh":true},[{"do":"advance","ms":61000},
  //   {"do":"setTokens","tokens":"fresh"},{"do":"fetch","to":"api","abortable":false},{"do":"expireOnServer"}]]
  it('sends its requests with its own token instead of failing them with the old refresh', async () => {
    const { fake, auth, stale, next } = await sessionReplacedDuringRefresh()
    const response = auth.fetch(`${API}/api/todos`)
    await tick()
    expect(fake.pending.map((request) => request.kind)).toEqual(['refresh', 'api'])
    fake.answerAll('auto')
    expect((await response).status).toBe(200)
    await expect(stale).rejects.toMatchObject({ name: 'SessionExpiredError', code: 'logged_out' })
    expect(auth.getState()).toMatchObject({ accessToken: next.accessToken, refreshing: false })
  })

  it('refreshes its own token once the old refresh has left the wire, never two at once', async () => {
    const { fake, auth, next, sent } = await sessionReplacedDuringRefresh()
    fake.expireAccessTokens()
    const response = auth.fetch(`${API}/api/todos`)
    await tick()
    fake.answer(1, 'auto') // the API answers 401 for the new session's token
    await tick()
    expect(sent()).toHaveLength(1)
    fake.answer(0, 'auto') // the old session's refresh comes back, and is discarded
    await tick()
    expect(sent()).toEqual([['refresh', next.refreshToken]])
    fake.answerAll('auto') // the new session's refresh
    await tick()
    fake.answerAll('auto') // the retry
    expect((await response).status).toBe(200)
    expect(auth.getState()).toMatchObject({ status: 'authenticated', refreshing: false })
    expect(auth.getState().accessToken).not.toBe(next.accessToken)
  })

  // Counterexample: [{"start":"stored","storage":"sync","tabs":"locks","autoRefresh":false},[{"do":"fetch","to":"api",
  //   "abortable":false},{"do":"answer","pick":0,"outcome":"401"},{"do":"deliver"},{"do":"setTokens","tokens":"opaque"},
  //   {"do":"fetch","to":"api","abortable":false},{"do":"answer","pick":1,"outcome":"auto"},{"do":"answer","pick":0,"outcome":"html"}]]
  it('is not put into backoff by the old refresh failing: that failure is discarded like a late success', async () => {
    const { fake, auth, stale, next, sent } = await sessionReplacedDuringRefresh()
    const errors = vi.fn()
    auth.on('error', errors)
    const own = auth.refresh()
    fake.answerAll('5xx')
    await expect(stale).rejects.toMatchObject({ name: 'SessionExpiredError', code: 'logged_out' })
    await tick()
    expect(sent()).toEqual([['refresh', next.refreshToken]])
    fake.answerAll('auto')
    expect(await own).toBe(auth.getState().accessToken)
    expect(errors).not.toHaveBeenCalled()
  })
})

describe('the backoff window after a failed refresh', () => {
  // Counterexample: [{"start":"nobody","storage":"sync","tabs":"locks","autoRefresh":false},[{"do":"setTokens",
  //   "tokens":"fresh"},{"do":"refresh"},{"do":"advance","ms":61000},{"do":"clockJump","ms":-7200000}]]
  it('lets the next refresh out when the client clock is set back, instead of waiting hours for it to catch up', async () => {
    let clock = Date.UTC(2027, 0, 1)
    const { fake, auth, adopt, sent } = clientOnFakeServer({ now: () => clock })
    adopt()
    const failed = auth.refresh()
    await tick()
    fake.answerAll('network')
    await expect(failed).rejects.toMatchObject({ name: 'NetworkError' })

    clock -= 2 * 3600_000 // the clock is corrected two hours back: the window can no longer be measured
    const second = auth.refresh()
    await tick()
    expect(sent()).toHaveLength(1)
    fake.answerAll('auto')
    const token = await second
    expect(token).toBe(auth.getState().accessToken)
  })
})
