import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient, webStorage, type AuthClient, type AuthClientOptions } from '../src'
import { fakeLocks } from './fakeLocks'
import { fetchWithCookieJar } from './cookieJar'
import { fakeWebStorage } from './fakeStorage'
import { API, credentials, delivered, holdAnswer, TODOS, useMockApi } from './mockApi'
import { unsignedJwt } from './unsignedJwt'

// Two clients in one process stand for two tabs: Node's BroadcastChannel connects them as a browser's does,
// and a shared fake lock manager stands for navigator.locks.
// The server forgives a replay of the previous refresh token for 10 s: what a tab closed mid-refresh needs.
const { mock, server, to } = useMockApi({ accessTokenTtl: 300, reuseGraceSeconds: 10 })
const LOCK = `tokenrail:${API}/:refresh`

let locks: ReturnType<typeof fakeLocks>
let tabs: AuthClient[] = []
beforeEach(() => {
  locks = fakeLocks()
  vi.stubGlobal('navigator', { locks })
})
afterEach(() => {
  tabs.forEach((tab) => tab.destroy())
  tabs = []
  vi.unstubAllGlobals()
})

// No tab here subscribes: a tab follows the others from the moment it exists, even one that only fetches.
function tab(options: Partial<AuthClientOptions> = {}) {
  const client = createAuthClient({ baseURL: API, crossTab: true, ...options })
  tabs.push(client)
  return client
}
/** Under fake timers: lets the time pass a new tab waits for the open tabs to answer (none do here). */
async function joined(client: AuthClient) {
  await vi.advanceTimersByTimeAsync(50)
  return client
}

/** Two tabs, logged in through the first; resolves once the second has followed. */
async function twoTabsLoggedIn() {
  const [a, b] = [tab(), tab()]
  await a.login(credentials)
  await vi.waitFor(() => expect(b.getState().status).toBe('authenticated'))
  return [a, b] as const
}


describe('across tabs', () => {
  it('a login in one tab logs the other in, with the same tokens', async () => {
    const [a, b] = [tab(), tab()]
    const login = vi.fn()
    b.on('login', login)
    await a.login(credentials)
    await vi.waitFor(() => expect(b.getState().status).toBe('authenticated'))
    expect(b.getState().accessToken).toBe(a.getState().accessToken)
    expect(login).toHaveBeenCalledTimes(1)
  })

  it('a tab of a client for another auth server on the same origin (another base path) hears nothing of this one', async () => {
    const other = tab({ baseURL: `${API}/v2` })
    const [a, b] = await twoTabsLoggedIn()
    await a.refresh()
    await vi.waitFor(() => expect(b.getState().accessToken).toBe(a.getState().accessToken))
    await delivered()
    expect(other.getState()).toMatchObject({ status: 'unauthenticated', accessToken: null })
  })

  it('tabs whose tokens expire together make exactly one refresh, and the others adopt its tokens', async () => {
    const [a, b, c] = [tab(), tab(), tab()]
    await a.login(credentials)
    await vi.waitFor(() => expect(c.getState().accessToken).toBe(a.getState().accessToken))
    mock.clock.advance(301)
    const answers = await Promise.all([a, b, c].map((client) => client.fetch(TODOS)))
    expect(answers.map((answer) => answer.status)).toEqual([200, 200, 200])
    expect(mock.stats.refreshAttempts).toBe(1)
    expect(mock.stats.reuseDetected).toBe(0)
    await vi.waitFor(() => expect(new Set([a, b, c].map((client) => client.getState().accessToken)).size).toBe(1))
  })

  it('a tab that took the lock after another refreshed does not spend the stale refresh token', async () => {
    const [a, b] = await twoTabsLoggedIn()
    await a.refresh()
    // b has not heard yet when it asks; it takes the lock, sees the rotation, and adopts it
    const token = await b.refresh()
    expect(token).toBe(a.getState().accessToken)
    expect(mock.stats.refreshAttempts).toBe(1)
    expect(mock.stats.reuseDetected).toBe(0)
  })

  it('logout in one tab logs out every tab', async () => {
    const [a, b] = await twoTabsLoggedIn()
    const logout = vi.fn()
    b.on('logout', logout)
    await a.logout()
    await vi.waitFor(() => expect(b.getState().status).toBe('unauthenticated'))
    expect(logout).toHaveBeenCalledTimes(1)
    expect(b.getState().accessToken).toBeNull()
  })

  it('another tab’s logout while this tab refreshes wins: the late result is discarded', async () => {
    const [a, b] = await twoTabsLoggedIn()
    const answer = holdAnswer(server, '/auth/refresh', () => ({ accessToken: 'late-token', refreshToken: 'late-refresh', expiresIn: 300 }))
    const refreshing = b.refresh().catch((error: unknown) => error)
    await vi.waitFor(() => expect(to('/auth/refresh')).toHaveLength(1))
    await a.logout()
    await vi.waitFor(() => expect(b.getState().status).toBe('unauthenticated'))
    answer()
    expect(await refreshing).toMatchObject({ code: 'logged_out' })
    await delivered()
    expect(b.getState().status).toBe('unauthenticated')
  })

  it('a session refused in one tab ends in every tab with sessionExpired', async () => {
    const [a, b] = await twoTabsLoggedIn()
    const expired = vi.fn()
    b.on('sessionExpired', expired)
    mock.reset()
    await expect(a.refresh()).rejects.toMatchObject({ name: 'SessionExpiredError' })
    await vi.waitFor(() => expect(b.getState().status).toBe('unauthenticated'))
    expect(expired).toHaveBeenCalledTimes(1)
    expect(expired).toHaveBeenCalledWith(expect.objectContaining({ name: 'SessionExpiredError', code: 'session_expired' }))
  })

  it('a lock that cannot be had in time is given up: the tab refreshes without it, nothing waits forever', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const a = await joined(tab({ timeout: 2000 }))
      await a.login(credentials)
      locks.hold(LOCK) // a tab stuck inside the lock
      const refreshing = a.refresh()
      await vi.advanceTimersByTimeAsync(3000)
      const token = await refreshing
      expect(token).toBe(a.getState().accessToken)
      expect(mock.stats.refreshes).toBe(1)
    } finally {
      vi.useRealTimers()
    }
  })

  it('a tab closed mid-refresh leaves nobody waiting, and the next tab still gets the current pair', async () => {
    const login = await fetch(`${API}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(credentials),
    })
    const tokens = (await login.json()) as { refreshToken: string }
    let clock = Date.now()
    const b = tab({ now: () => clock })
    b.setTokens(tokens as never)
    const release = locks.hold(LOCK) // tab A holds the lock...
    await fetch(`${API}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: tokens.refreshToken }),
    }) // ...its refresh reached the server...
    clock += 301_000 // B's token is past its expiry on B's clock: B must refresh before sending
    const answer = b.fetch(TODOS) // ...tab B waits for the lock...
    await vi.waitFor(() => expect(locks.requests).toBe(1))
    release() // ...and tab A is closed before it could tell anyone: the browser frees its lock.
    expect((await answer).status).toBe(200)
    expect(mock.stats.reuseDetected).toBe(0)
    expect(mock.stats.graceReplays).toBe(1)
  })

  it('without navigator.locks the engine still refreshes once within the tab', async () => {
    vi.stubGlobal('navigator', {})
    const a = tab()
    await a.login(credentials)
    mock.clock.advance(301)
    await Promise.all([a.fetch(TODOS), a.fetch(TODOS), a.refresh()])
    expect(mock.stats.refreshAttempts).toBe(1)
  })

  it('a destroyed tab no longer follows the others', async () => {
    const [a, b] = [tab(), tab()]
    b.destroy()
    await a.login(credentials)
    await delivered()
    expect(b.getState().status).toBe('unauthenticated')
  })

  it('a message older than this tab’s own news, still on its way, does not put back spent tokens', async () => {
    const b = tab()
    await b.login(credentials)
    const own = b.getState().accessToken
    const older = await mock.signAccessToken({ sub: 'demo' })
    const newer = await mock.signAccessToken({ sub: 'demo', fresh: true })
    const channel = new BroadcastChannel(`tokenrail:${API}/`)
    channel.postMessage({ tokens: { accessToken: older, refreshToken: 'spent' }, at: Date.now() - 60_000 })
    channel.postMessage({ ended: 'logout', at: Date.now() - 60_000 })
    await delivered()
    expect(b.getState()).toMatchObject({ status: 'authenticated', accessToken: own })
    channel.postMessage({ tokens: { accessToken: newer, refreshToken: 'next' }, at: Date.now() + 1 })
    await vi.waitFor(() => expect(b.getState().accessToken).toBe(newer))
    channel.close()
  })

  it('a tab that logged out is not logged back in by refresh news another tab made before hearing of it', async () => {
    const b = tab()
    await b.login(credentials)
    await b.logout()
    const refreshed = await mock.signAccessToken({ sub: 'demo' })
    const channel = new BroadcastChannel(`tokenrail:${API}/`)
    channel.postMessage({ tokens: { accessToken: refreshed, refreshToken: 'rotated' }, login: false, at: Date.now() + 1000 })
    await delivered()
    channel.close()
    expect(b.getState().status).toBe('unauthenticated')
  })

  it('another tab’s logout ends this tab’s session even when it arrives after this tab’s own, newer refresh', async () => {
    let clock = Date.now()
    const a = tab({ now: () => clock })
    await a.login(credentials)
    const logoutAt = (clock += 1000)
    clock += 1000
    await a.refresh() // its news is stamped after the other tab's logout, which is still on its way
    const channel = new BroadcastChannel(`tokenrail:${API}/`)
    channel.postMessage({ ended: 'logout', at: logoutAt })
    await delivered()
    channel.close()
    expect(a.getState().status).toBe('unauthenticated')
  })

  it('a login made after the clock was set back still reaches a tab whose news was stamped before', async () => {
    let clock = Date.now() + 3_600_000 // an hour fast, then corrected
    const now = () => clock
    const b = tab({ now })
    await b.login(credentials)
    await b.logout()
    clock = Date.now()
    const c = tab({ now })
    await c.login(credentials)
    await vi.waitFor(() => expect(b.getState().status).toBe('authenticated'))
    expect(b.getState().accessToken).toBe(c.getState().accessToken)
  })

  it('another tab’s logout made after login() was called wins over the login on the wire', async () => {
    const b = tab()
    const answer = holdAnswer(server, '/auth/login', async () => ({ accessToken: await mock.signAccessToken({ sub: 'demo' }), refreshToken: 'r', expiresIn: 300 }))
    const login = b.login(credentials).catch((error: unknown) => error)
    await vi.waitFor(() => expect(to('/auth/login')).toHaveLength(1))
    const channel = new BroadcastChannel(`tokenrail:${API}/`)
    channel.postMessage({ ended: 'logout', at: Date.now() + 1 })
    await delivered()
    channel.close()
    answer()
    expect(await login).toMatchObject({ code: 'logged_out' })
    expect(b.getState().status).toBe('unauthenticated')
  })

  it('a login called after another tab logged out stands, though that logout’s message arrives while it is on the wire', async () => {
    const b = tab()
    const loggedOutAt = Date.now() - 1000 // a busy tab hears it late
    const answer = holdAnswer(server, '/auth/login', async () => ({ accessToken: await mock.signAccessToken({ sub: 'demo' }), refreshToken: 'r', expiresIn: 300 }))
    const login = b.login(credentials)
    await vi.waitFor(() => expect(to('/auth/login')).toHaveLength(1))
    const channel = new BroadcastChannel(`tokenrail:${API}/`)
    channel.postMessage({ ended: 'logout', at: loggedOutAt })
    await delivered()
    channel.close()
    answer()
    await expect(login).resolves.toMatchObject({ status: 'authenticated' })
  })

  it('a logout heard before the clock was set back does not drop a login called after it', async () => {
    let clock = Date.now()
    const b = tab({ now: () => clock })
    const channel = new BroadcastChannel(`tokenrail:${API}/`)
    channel.postMessage({ ended: 'logout', at: clock })
    await delivered()
    channel.close()
    clock -= 7_200_000
    await expect(b.login(credentials)).resolves.toMatchObject({ status: 'authenticated' })
  })

  it('a tab whose clock was set back stamps its news with its clock now, so a login after its logout stands', async () => {
    let clock = Date.now() + 3_600_000 // an hour fast, then corrected
    const a = tab({ now: () => clock })
    await a.login(credentials)
    clock = Date.now()
    const b = tab()
    const answer = holdAnswer(server, '/auth/login', async () => ({ accessToken: await mock.signAccessToken({ sub: 'demo' }), refreshToken: 'r', expiresIn: 300 }))
    await a.logout()
    const login = b.login(credentials).catch((error: unknown) => error)
    await vi.waitFor(() => expect(to('/auth/login')).toHaveLength(2))
    await delivered()
    answer()
    expect(await login).toMatchObject({ status: 'authenticated' })
  })

  it('another tab’s login found in shared storage under the lock is a new session here, not a refresh', async () => {
    const area = fakeWebStorage()
    const a = tab({ storage: webStorage(area) })
    await a.login(credentials)
    const first = a.getState().accessToken!
    const events: string[] = []
    a.on('login', () => events.push('login'))
    a.on('refresh', () => events.push('refresh'))
    // Another tab logs in: its tokens are in storage before its message reaches this tab, whose refresh starts.
    const c = tab({ storage: webStorage(area) })
    let refreshing: Promise<unknown> | undefined
    c.on('login', () => void (refreshing = a.refresh().catch((error: unknown) => error)))
    await c.login(credentials)
    expect(await refreshing).toMatchObject({ code: 'logged_out' })
    expect(events).toEqual(['login'])
    expect(a.getState().accessToken).toBe(c.getState().accessToken)
    // The first session's token is another session's now: a late 401 for it is not replayed.
    expect(a.policy.retryWith(`${API}/api/todos`, 401, first)).toBeNull()
  })

  it('tokens this tab has already refreshed past are never taken back, whatever the message says of them', async () => {
    const a = tab()
    await a.login(credentials)
    const first = a.getState().accessToken!
    await a.refresh() // e.g. after taking another tab's login from storage before its message came
    const current = a.getState().accessToken
    const channel = new BroadcastChannel(`tokenrail:${API}/`)
    channel.postMessage({ tokens: { accessToken: first, refreshToken: 'spent' }, login: true, at: Date.now() + 1 })
    await delivered()
    channel.close()
    expect(a.getState().accessToken).toBe(current)
  })

  it('with a channel, the tab takes what others did from their messages under the lock, not from storage', async () => {
    const area = fakeWebStorage()
    let reads = 0
    const storage = webStorage(area)
    const counted = { ...storage, get: (key: string) => (reads++, storage.get(key)) }
    const a = tab({ storage: counted })
    await a.login(credentials)
    const before = reads
    await a.refresh()
    expect(reads).toBe(before)
  })

  it('a logout heard after this tab’s login was answered is older news than that login, in every tab alike', async () => {
    let clock = Date.now()
    const b = tab({ now: () => clock })
    const answer = holdAnswer(server, '/auth/login', async () => ({ accessToken: await mock.signAccessToken({ sub: 'demo' }), refreshToken: 'r', expiresIn: 300 }))
    const login = b.login(credentials)
    await vi.waitFor(() => expect(to('/auth/login')).toHaveLength(1))
    const loggedOutAt = (clock += 1000) // the other tab logged out while the login was on the wire
    clock += 1000
    const heard: unknown[] = []
    const channel = new BroadcastChannel(`tokenrail:${API}/`)
    channel.onmessage = ({ data }) => void ('tokens' in data && heard.push(data))
    answer()
    await login // this busy tab took the login's answer before the other tab's message
    await delivered()
    // The other tab, which logged out at loggedOutAt, hears a login stamped after it and follows it...
    expect(heard).toEqual([expect.objectContaining({ login: true, at: clock })])
    channel.postMessage({ ended: 'logout', at: loggedOutAt })
    await delivered()
    channel.close()
    // ...and this tab keeps it: both end with the same session.
    expect(b.getState().status).toBe('authenticated')
  })

  it('with the largest timeout allowed, a tab still waits for the refresh lock another tab holds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const a = await joined(tab({ timeout: 2 ** 31 - 1 }))
      await a.login(credentials)
      const release = locks.hold(LOCK)
      const refreshing = a.refresh().catch(() => undefined)
      await vi.advanceTimersByTimeAsync(5_000)
      expect(to('/auth/refresh')).toHaveLength(0)
      release()
      await vi.advanceTimersByTimeAsync(200)
      await refreshing
    } finally {
      vi.useRealTimers()
    }
  })

  it('two logins made in the same millisecond are ordered the same way in every tab', async () => {
    const clock = Date.now()
    const b = tab({ now: () => clock })
    await b.login(credentials)
    const own = b.getState().accessToken
    const [loser, winner] = [await mock.signAccessToken({ sub: 'loser' }), await mock.signAccessToken({ sub: 'winner' })]
    const channel = new BroadcastChannel(`tokenrail:${API}/`)
    channel.postMessage({ tokens: { accessToken: loser, refreshToken: 'l' }, login: true, at: clock, tie: -1 })
    await delivered()
    expect(b.getState().accessToken).toBe(own) // its tie loses to this tab's own login
    channel.postMessage({ tokens: { accessToken: winner, refreshToken: 'w' }, login: true, at: clock, tie: 2 })
    await delivered()
    channel.close()
    expect(b.getState().accessToken).toBe(winner)
  })

  it('a logout made in the millisecond of the login it follows reaches every tab, whatever its own tie-break', async () => {
    const clock = Date.now()
    const [b, c] = [tab({ now: () => clock }), tab({ now: () => clock })]
    const channel = new BroadcastChannel(`tokenrail:${API}/`)
    channel.postMessage({ tokens: { accessToken: await mock.signAccessToken({ sub: 'demo' }), refreshToken: 'r' }, login: true, at: clock, tie: 0.9 })
    await vi.waitFor(() => expect([b, c].map((client) => client.getState().status)).toEqual(['authenticated', 'authenticated']))
    const random = vi.spyOn(Math, 'random').mockReturnValue(0.3) // below the login's own tie-break
    try {
      await b.logout()
    } finally {
      random.mockRestore()
    }
    await delivered()
    channel.close()
    expect(c.getState().status).toBe('unauthenticated')
  })

  it('another tab’s login during this tab’s refresh of the old session wins: the late answer is discarded', async () => {
    const [a, b] = await twoTabsLoggedIn()
    const answer = holdAnswer(server, '/auth/refresh', () => ({ accessToken: 'old-session-token', refreshToken: 'old-session-refresh', expiresIn: 300 }))
    const refreshing = b.refresh().catch((error: unknown) => error)
    await vi.waitFor(() => expect(to('/auth/refresh')).toHaveLength(1))
    await a.login(credentials) // a new session, e.g. another user
    const fresh = a.getState().accessToken
    await vi.waitFor(() => expect(b.getState().accessToken).toBe(fresh))
    answer()
    expect(await refreshing).toMatchObject({ code: 'logged_out' })
    await delivered()
    expect([a.getState().accessToken, b.getState().accessToken]).toEqual([fresh, fresh])
  })

  it('hears the same tokens twice and tells its listeners once', async () => {
    const b = tab()
    const accessToken = await mock.signAccessToken({ sub: 'demo' })
    const login = vi.fn()
    const refresh = vi.fn()
    b.on('login', login)
    b.on('refresh', refresh)
    const channel = new BroadcastChannel(`tokenrail:${API}/`)
    channel.postMessage({ tokens: { accessToken, refreshToken: 'r1' }, login: true, at: Date.now() })
    channel.postMessage({ tokens: { accessToken, refreshToken: 'r1' }, at: Date.now() })
    await delivered()
    channel.close()
    expect(b.getState().accessToken).toBe(accessToken)
    expect([login.mock.calls.length, refresh.mock.calls.length]).toEqual([1, 0])
  })

  it('re-reads shared storage under the lock, so without any message it still adopts what another tab stored', async () => {
    vi.stubGlobal('BroadcastChannel', undefined) // no channel at all: storage is the only thing tabs share
    const area = fakeWebStorage()
    const [a, b] = [tab({ storage: webStorage(area) }), tab({ storage: webStorage(area) })]
    await a.login(credentials)
    b.setTokens(JSON.parse(area.getItem(`tokenrail:${API}/`)!) as never)
    await a.refresh()
    const token = await b.refresh()
    expect(token).toBe(a.getState().accessToken)
    expect(mock.stats.refreshAttempts).toBe(1)
    expect(mock.stats.reuseDetected).toBe(0)
  })

  it('a channel that never delivers the probe after the lock does not hold the refresh forever', async () => {
    // A channel that swallows every message, like one closed under the tab's feet.
    class SilentChannel extends EventTarget {
      onmessage = null
      postMessage() {}
      close() {}
    }
    vi.stubGlobal('BroadcastChannel', SilentChannel)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const a = await joined(tab())
      await a.login(credentials)
      let token: string | undefined
      void a.refresh().then((value) => (token = value))
      await vi.advanceTimersByTimeAsync(100)
      await vi.waitFor(() => expect(token).toBe(a.getState().accessToken))
      expect(mock.stats.refreshes).toBe(1)
    } finally {
      vi.useRealTimers()
    }
  })

  it('a storage that stops answering under the lock does not hold the refresh (or the lock) forever', async () => {
    vi.stubGlobal('BroadcastChannel', undefined) // no channel: under the lock the tab reads shared storage
    let reads = 0
    const storage = { get: () => (reads++ === 0 ? null : new Promise<never>(() => undefined)), set: () => undefined, clear: () => undefined }
    const a = tab({ storage, timeout: 2000 })
    await a.login(credentials)
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      let token: string | undefined
      void a.refresh().then((value) => (token = value))
      await vi.advanceTimersByTimeAsync(2000)
      await vi.waitFor(() => expect(token).toBe(a.getState().accessToken))
      expect(mock.stats.refreshes).toBe(1)
    } finally {
      vi.useRealTimers()
    }
  })

  it('ignores malformed messages from the channel', async () => {
    const b = tab()
    const channel = new BroadcastChannel(`tokenrail:${API}/`)
    channel.postMessage({ tokens: { accessToken: 'has space' } })
    channel.postMessage({ tokens: null })
    channel.postMessage('junk')
    await delivered()
    channel.close()
    await b.ready
    expect(b.getState().status).toBe('unauthenticated')
  })
})

describe('a tab that starts joins the session the open tabs hold', () => {
  it('with memory storage, a tab opened after another logged in is authenticated once ready: no login, no refresh, no event elsewhere', async () => {
    const a = tab()
    await a.login(credentials)
    const heardInA = vi.fn()
    a.on('login', heardInA)
    a.on('refresh', heardInA)
    const { logins, refreshAttempts } = mock.stats
    const b = tab()
    expect(b.getState().status).toBe('loading')
    await b.ready
    expect(b.getState()).toMatchObject({ status: 'authenticated', accessToken: a.getState().accessToken })
    expect(mock.stats).toMatchObject({ logins, refreshAttempts })
    expect(heardInA).not.toHaveBeenCalled()
    // It is the same session from then on: a refresh in either tab reaches the other.
    await b.refresh()
    await vi.waitFor(() => expect(a.getState().accessToken).toBe(b.getState().accessToken))
    expect((await a.fetch(TODOS)).status).toBe(200)
    expect(mock.stats.reuseDetected).toBe(0)
  })

  it('with no open tab holding a session, a new tab is logged out once ready, 50 ms on', async () => {
    const a = tab()
    await a.login(credentials)
    await a.logout()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const b = tab()
      await vi.advanceTimersByTimeAsync(49)
      expect(b.getState().status).toBe('loading')
      await vi.advanceTimersByTimeAsync(1)
      expect(b.getState().status).toBe('unauthenticated')
    } finally {
      vi.useRealTimers()
    }
  })

  it('a tab whose session ended never answers with old tokens', async () => {
    const a = tab()
    await a.login(credentials)
    mock.reset() // the server forgets the session: a's refresh is refused
    await a.refresh().catch(() => undefined)
    expect(a.getState().status).toBe('unauthenticated')
    const b = tab()
    await b.ready
    expect(b.getState().status).toBe('unauthenticated')
  })

  it('a tab whose sessionStorage holds a pair another tab has rotated since takes the newer pair, and spends no rotated token', async () => {
    const own = fakeWebStorage() // this tab's sessionStorage, which no other tab reads
    const a = tab({ storage: webStorage(own) })
    await a.login(credentials)
    const stale = own.getItem(`tokenrail:${API}/`)
    const b = tab()
    await vi.waitFor(() => expect(b.getState().status).toBe('authenticated'))
    await b.refresh()
    await vi.waitFor(() => expect(a.getState().accessToken).toBe(b.getState().accessToken))
    // The tab reloads with what its storage held before the other tab's refresh landed there.
    a.destroy()
    own.setItem(`tokenrail:${API}/`, stale!)
    const reloaded = tab({ storage: webStorage(own) })
    await reloaded.ready
    await vi.waitFor(() => expect(reloaded.getState().accessToken).toBe(b.getState().accessToken))
    await reloaded.refresh()
    expect(mock.stats.reuseDetected).toBe(0)
    expect(mock.stats.graceReplays).toBe(0)
  })

  it('news heard while a slow storage is still read is not lost: a refresh landing after the answer is the session taken', async () => {
    const a = tab()
    await a.login(credentials)
    let answerRead!: (record: null) => void
    const slow = { get: () => new Promise<null>((resolve) => (answerRead = resolve)), set: () => undefined, clear: () => undefined }
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const b = tab({ storage: slow })
      await joined(b) // a has answered, or the wait is over: either way b still reads its storage
      await a.refresh()
      await delivered()
      answerRead(null)
      await b.ready
      expect(b.getState()).toMatchObject({ status: 'authenticated', accessToken: a.getState().accessToken })
    } finally {
      vi.useRealTimers()
    }
  })

  describe('over a session of its own storage', () => {
    let clock = 1_800_000_000_000
    const now = () => clock
    const tokensOf = (sub: string) => ({ accessToken: unsignedJwt({ sub, iss: API, exp: clock / 1000 + 3600, jti: String(clock) }) })
    /** A session stored in this tab's sessionStorage at `clock`, by a tab that has closed since. */
    function storedAlone(sub: string) {
      const own = fakeWebStorage()
      const closed = tab({ storage: webStorage(own), crossTab: false, now })
      closed.setTokens(tokensOf(sub))
      closed.destroy()
      return own
    }

    it('another user’s session an open tab holds (a login there this tab did not hear) is a login here, not a refresh', async () => {
      const own = storedAlone('alice')
      clock += 60_000
      tab({ now }).setTokens(tokensOf('bob'))
      const reloaded = tab({ storage: webStorage(own), now })
      const events = vi.fn()
      reloaded.on('login', () => events('login'))
      reloaded.on('refresh', () => events('refresh'))
      await reloaded.ready
      await vi.waitFor(() => expect(reloaded.getState().user).toMatchObject({ sub: 'bob' }))
      expect(events.mock.calls).toEqual([['login']])
    })

    it('an open tab’s older session is not taken over the newer one stored here, which carries its stamp', async () => {
      tab({ now }).setTokens(tokensOf('alice'))
      clock += 60_000
      const own = storedAlone('alice')
      const stored = tokensOf('alice').accessToken
      const reloaded = tab({ storage: webStorage(own), now })
      await reloaded.ready
      await delivered()
      expect(reloaded.getState().accessToken).toBe(stored)
    })
  })

  it('only tabs of the same auth server answer', async () => {
    const a = tab()
    await a.login(credentials)
    const other = tab({ baseURL: `${API}/v2` })
    await other.ready
    expect(other.getState().status).toBe('unauthenticated')
  })

  it('with crossTab off, nobody is asked and ready does not wait', async () => {
    const a = tab()
    await a.login(credentials)
    const b = tab({ crossTab: false })
    expect(b.getState().status).toBe('unauthenticated')
  })

  it('in cookie mode, a tab an open tab answers skips its restore refresh', async () => {
    const jar = fetchWithCookieJar()
    const a = tab({ refreshToken: 'cookie', fetch: jar.fetch })
    await a.ready
    await a.login(credentials)
    const attempts = mock.stats.refreshAttempts
    const b = tab({ refreshToken: 'cookie', fetch: jar.fetch })
    await b.ready
    expect(b.getState()).toMatchObject({ status: 'authenticated', accessToken: a.getState().accessToken })
    expect(mock.stats.refreshAttempts).toBe(attempts)
  })
})

describe('a destroyed client', () => {
  it('spends no refresh token: a refresh that waited for the lock as it was destroyed sends nothing', async () => {
    const a = tab()
    await a.login(credentials)
    const release = locks.hold(LOCK)!
    const refreshing = a.refresh().catch((reason: unknown) => reason)
    await vi.waitFor(() => expect(locks.requests).toBe(1))
    a.destroy() // a new client on the same storage (a remount, a reload) owns the session from here
    release()
    expect(await refreshing).toMatchObject({ name: 'SessionExpiredError' })
    expect(to('/auth/refresh')).toHaveLength(0)
    await expect(a.refresh()).rejects.toMatchObject({ name: 'SessionExpiredError' })
  })
})
