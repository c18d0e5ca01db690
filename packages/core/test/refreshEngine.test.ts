import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { isNetworkError, NetworkError, SessionExpiredError } from '../src'
import { API, credentials, holdAnswer, TODOS, useClients, useMockApi } from './mockApi'

const { mock, server, to } = useMockApi({ accessTokenTtl: 300 })

const { client, loggedIn } = useClients()

/** The server's clock passes the access token's expiry; the client does not know (the 401 path). */
const expireOnServer = () => mock.clock.advance(301)

describe('refresh engine: single flight', () => {
  it('five parallel 401s share one refresh and all succeed', async () => {
    const auth = await loggedIn()
    const before = auth.getState().accessToken
    expireOnServer()
    const responses = await Promise.all(Array.from({ length: 5 }, () => auth.fetch(TODOS)))
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200])
    expect(mock.stats.refreshes).toBe(1)
    expect(mock.stats.refreshAttempts).toBe(1)
    expect(auth.getState().accessToken).not.toBe(before)
    const retried = to('/api/todos').filter((request) => request.authorization === `Bearer ${auth.getState().accessToken}`)
    expect(retried).toHaveLength(5)
  })

  it('a request started mid-refresh waits and goes out once, with the new token', async () => {
    const auth = await loggedIn()
    mock.faults.latency(50)
    const refreshing = auth.refresh()
    expect(auth.getState().refreshing).toBe(true)
    const started = auth.fetch(TODOS)
    const token = await refreshing
    const response = await started
    expect(response.status).toBe(200)
    expect(to('/api/todos')).toEqual([expect.objectContaining({ authorization: `Bearer ${token}` })])
    expect(mock.stats.refreshes).toBe(1)
    expect(auth.getState().refreshing).toBe(false)
  })

  it('a late 401 replays with the current token without a second refresh', async () => {
    const auth = await loggedIn()
    const first = auth.getState().accessToken
    let releaseSlow!: () => void
    const slowAnswered = new Promise<void>((resolve) => (releaseSlow = resolve))
    server.use(
      http.get(`${API}/api/slow`, async ({ request }) => {
        if (request.headers.get('authorization') === `Bearer ${first}`) {
          await slowAnswered
          return new HttpResponse(null, { status: 401 })
        }
        return HttpResponse.json({ slow: true })
      }),
    )
    const slow = auth.fetch(`${API}/api/slow`)
    await vi.waitFor(() => expect(to('/api/slow')).toHaveLength(1))
    expireOnServer()
    expect((await auth.fetch(TODOS)).status).toBe(200)
    expect(mock.stats.refreshes).toBe(1)
    releaseSlow()
    expect(await (await slow).json()).toEqual({ slow: true })
    expect(mock.stats.refreshes).toBe(1)
    expect(to('/api/slow').map((request) => request.authorization)).toEqual([
      `Bearer ${first}`,
      `Bearer ${auth.getState().accessToken}`,
    ])
  })

  it('a retried request that gets 401 again reaches the caller, and the refresh count stays 1', async () => {
    const auth = await loggedIn()
    server.use(http.get(`${API}/api/always-401`, () => new HttpResponse('no', { status: 401 })))
    const response = await auth.fetch(`${API}/api/always-401`)
    expect(response.status).toBe(401)
    expect(await response.text()).toBe('no')
    expect(to('/api/always-401')).toHaveLength(2)
    expect(mock.stats.refreshes).toBe(1)
  })

  it('403 never refreshes', async () => {
    const auth = await loggedIn()
    server.use(http.get(`${API}/api/forbidden`, () => new HttpResponse(null, { status: 403 })))
    expect((await auth.fetch(`${API}/api/forbidden`)).status).toBe(403)
    expect(mock.stats.refreshAttempts).toBe(0)
    expect(to('/api/forbidden')).toHaveLength(1)
  })

  it('401s from the login, refresh and logout endpoints are never intercepted', async () => {
    const auth = await loggedIn()
    server.use(http.post(`${API}/auth/logout`, () => new HttpResponse(null, { status: 401 })))
    const login = await auth.fetch(`${API}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo', password: 'wrong' }),
    })
    const refresh = await auth.fetch(`${API}/auth/refresh`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ refreshToken: 'spent-or-unknown' }),
    })
    const logout = await auth.fetch(`${API}/auth/logout`, { method: 'POST' })
    expect([login.status, refresh.status, logout.status]).toEqual([401, 400, 401])
    expect(mock.stats.refreshAttempts).toBe(1)
    expect(auth.getState().status).toBe('authenticated')
  })
})

describe('refresh engine: refused', () => {
  it('clears the tokens, emits sessionExpired once and rejects every waiter with one SessionExpiredError', async () => {
    const auth = await loggedIn()
    const expired = vi.fn()
    auth.on('sessionExpired', expired)
    // The server forgets the session (the refresh token is refused with invalid_grant) and the access token expires.
    mock.reset()
    expireOnServer()
    const results = await Promise.allSettled(Array.from({ length: 4 }, () => auth.fetch(TODOS)))
    const reasons = results.map((result) => (result as PromiseRejectedResult).reason)
    expect(results.every((result) => result.status === 'rejected')).toBe(true)
    expect(reasons[0]).toBeInstanceOf(SessionExpiredError)
    expect(new Set(reasons).size).toBe(1)
    expect(expired).toHaveBeenCalledTimes(1)
    expect(expired).toHaveBeenCalledWith(reasons[0])
    expect(mock.stats.refreshAttempts).toBe(1)
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', accessToken: null, user: null })
    expect(await auth.getAccessToken()).toBeNull()
  })

  it('a request after the session expired goes out without a token', async () => {
    const auth = await loggedIn()
    mock.reset()
    await expect(auth.refresh()).rejects.toBeInstanceOf(SessionExpiredError)
    expect((await auth.fetch(TODOS)).status).toBe(401)
    expect(to('/api/todos').at(-1)?.authorization).toBeNull()
    expect(mock.stats.refreshAttempts).toBe(1)
  })
})

describe('refresh engine: failed (network, 5xx, not a token set)', () => {
  it.each([
    ['a network error', 'network' as const, 'network'],
    ['a 503', 503, 'server_error'],
    ['a 200 that is not JSON', 'bad-json' as const, 'bad_response'],
  ])('after %s the tokens are kept and the caller gets a typed rejection', async (_, fault, code) => {
    const auth = await loggedIn()
    const state = auth.getState()
    const errors = vi.fn()
    auth.on('error', errors)
    mock.faults.failNextRefresh(fault)
    const error = await auth.refresh().catch((reason: unknown) => reason)
    expect(error).toMatchObject({ code })
    expect(error).not.toBeInstanceOf(SessionExpiredError)
    expect(auth.getState()).toEqual({ ...state })
    expect(errors).toHaveBeenCalledWith(error)
  })

  it('a refresh answer with a malformed token is a failure, and nothing of it is stored', async () => {
    const auth = await loggedIn()
    const state = auth.getState()
    server.use(
      http.post(`${API}/auth/refresh`, () =>
        HttpResponse.json({ accessToken: 'has space', refreshToken: 'r', expiresIn: 300 }),
      ),
    )
    await expect(auth.refresh()).rejects.toMatchObject({ code: 'bad_response' })
    expect(auth.getState()).toEqual(state)
  })

  it('50 calls during an outage cost one refresh per backoff window', async () => {
    let clock = Date.now()
    const auth = await loggedIn({ now: () => clock })
    expireOnServer()
    mock.faults.failNextRefresh('network', 100)
    const storm = () => Promise.allSettled(Array.from({ length: 50 }, () => auth.fetch(TODOS)))

    const first = await storm()
    expect(first.every((result) => result.status === 'rejected' && isNetworkError(result.reason))).toBe(true)
    expect(mock.stats.refreshAttempts).toBe(1)

    clock += 500 // inside the first window (1 s)
    await storm()
    expect(mock.stats.refreshAttempts).toBe(1)

    clock += 600 // past it: one more attempt, then a 2 s window
    await storm()
    expect(mock.stats.refreshAttempts).toBe(2)
    clock += 1500
    await storm()
    expect(mock.stats.refreshAttempts).toBe(2)

    mock.faults.clear()
    clock += 1000
    const recovered = await storm()
    expect(recovered.every((result) => result.status === 'fulfilled' && result.value.status === 200)).toBe(true)
    expect(mock.stats.refreshAttempts).toBe(3)
    expect(mock.stats.refreshes).toBe(1)
  })

  it('a token still inside its lifetime is sent when a proactive refresh fails', async () => {
    let clock = Date.now()
    const auth = await loggedIn({ now: () => clock })
    clock += 280_000 // inside the 30 s leeway, not yet expired
    mock.faults.failNextRefresh(503)
    const token = auth.getState().accessToken
    expect((await auth.fetch(TODOS)).status).toBe(200)
    expect(to('/api/todos').at(-1)?.authorization).toBe(`Bearer ${token}`)
    expect(mock.stats.refreshAttempts).toBe(1)
  })

  it('an expired token is not sent when the refresh fails: the caller gets NetworkError', async () => {
    let clock = Date.now()
    const auth = await loggedIn({ now: () => clock })
    clock += 301_000
    mock.faults.failNextRefresh('network')
    await expect(auth.fetch(TODOS)).rejects.toBeInstanceOf(NetworkError)
    expect(to('/api/todos')).toHaveLength(0)
  })
})

describe('refresh engine: logout wins', () => {
  it('logout during a refresh discards the late result and rejects the waiters', async () => {
    const auth = await loggedIn()
    mock.faults.latency(50)
    const refreshing = auth.refresh().catch((error: unknown) => Promise.reject(error))
    refreshing.catch(() => undefined)
    const waiting = auth.fetch(TODOS)
    waiting.catch(() => undefined)
    await auth.logout()
    await expect(refreshing).rejects.toMatchObject({ name: 'SessionExpiredError', code: 'logged_out' })
    await expect(waiting).rejects.toBeInstanceOf(SessionExpiredError)
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', accessToken: null, refreshing: false })
    expect(to('/api/todos')).toHaveLength(0)
  })

  it('the snapshot stops saying refreshing the moment a logout discards the refresh', async () => {
    const auth = await loggedIn()
    const answer = holdAnswer(server, '/auth/refresh', () => ({ accessToken: 'late', refreshToken: 'late', expiresIn: 300 }))
    const refreshing = auth.refresh().catch(() => undefined)
    await vi.waitFor(() => expect(to('/auth/refresh')).toHaveLength(1))
    expect(auth.getState().refreshing).toBe(true)
    await auth.logout()
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', refreshing: false })
    answer()
    await refreshing
    expect(auth.getState().refreshing).toBe(false)
  })

  it('a late 401 for a token of a session that has ended is never replayed with the next session’s token', async () => {
    await mock.users.add({ username: 'bob', password: 'bob-password-1' })
    const auth = await loggedIn()
    const alice = `Bearer ${auth.getState().accessToken}`
    let answer!: () => void
    const held = new Promise<void>((resolve) => (answer = resolve))
    server.use(
      http.post(`${API}/api/transfer`, async () => {
        await held
        return new HttpResponse(null, { status: 401 })
      }),
    )
    const transfer = auth.fetch(`${API}/api/transfer`, { method: 'POST', body: '{"amount":100}' })
    await vi.waitFor(() => expect(to('/api/transfer')).toHaveLength(1))
    await auth.logout()
    await auth.login({ username: 'bob', password: 'bob-password-1' })
    answer()
    expect((await transfer).status).toBe(401) // the caller gets the answer as the server gave it
    expect(to('/api/transfer').map((request) => request.authorization)).toEqual([alice])
  })

  it('a refresh answered after a logout is revoked on the server, also when a new login came before its answer', async () => {
    const auth = await loggedIn()
    const answer = holdAnswer(server, '/auth/refresh', () => ({ accessToken: 'late-access', refreshToken: 'late-refresh', expiresIn: 300 }))
    const refreshing = auth.refresh().catch(() => undefined)
    await vi.waitFor(() => expect(to('/auth/refresh')).toHaveLength(1))
    await auth.logout()
    await auth.login(credentials)
    const fresh = auth.getState().accessToken
    answer()
    await refreshing
    await vi.waitFor(() => expect(to('/auth/logout').map((request) => request.authorization)).toContain('Bearer late-access'))
    expect(auth.getState().accessToken).toBe(fresh)
  })

  it('a new login during a refresh keeps the new session', async () => {
    const auth = await loggedIn()
    const answerRefresh = holdAnswer(server, '/auth/refresh', () => ({
      accessToken: 'late-token',
      refreshToken: 'late-refresh',
      expiresIn: 300,
    }))
    const refreshing = auth.refresh()
    refreshing.catch(() => undefined)
    await vi.waitFor(() => expect(to('/auth/refresh')).toHaveLength(1))
    await auth.login(credentials)
    answerRefresh()
    const fresh = auth.getState().accessToken
    await expect(refreshing).rejects.toMatchObject({ code: 'logged_out' })
    expect(auth.getState().accessToken).toBe(fresh)
  })
})

describe('refresh engine: expiry on the client clock', () => {
  it.each([
    ['two hours fast', 2],
    ['two hours slow', -2],
  ])('a client clock %s causes no refresh storm', async (_, hours) => {
    const skew = hours * 3600_000
    const auth = await loggedIn({ now: () => Date.now() + skew })
    for (let i = 0; i < 20; i++) expect((await auth.fetch(TODOS)).status).toBe(200)
    expect(mock.stats.refreshAttempts).toBe(0)
    expect(auth.getState().expiresAt).toBeGreaterThan(Date.now() + skew + 290_000)
  })

  it('a token expiring inside the leeway is refreshed before sending', async () => {
    let clock = Date.now()
    const auth = await loggedIn({ now: () => clock, refreshLeeway: 30 })
    const old = auth.getState().accessToken
    clock += 271_000
    expect((await auth.fetch(TODOS)).status).toBe(200)
    expect(mock.stats.refreshes).toBe(1)
    const sent = to('/api/todos')
    expect(sent).toHaveLength(1)
    expect(sent[0]?.authorization).not.toBe(`Bearer ${old}`)
    expect(sent[0]?.authorization).toBe(`Bearer ${auth.getState().accessToken}`)
  })

  it('a token without any expiry is used until a 401 says otherwise', async () => {
    const opaque = client({
      parseTokens: (body) => ({ ...(body as { accessToken: string; refreshToken: string }), expiresIn: undefined }),
    })
    await opaque.login(credentials)
    // the mock's tokens carry iat/exp; this client is told to ignore expiresIn, so exp - iat still applies
    expect(opaque.getState().expiresAt).not.toBeNull()
    opaque.setTokens({ accessToken: 'opaque-token', refreshToken: 'r1' })
    expect(opaque.getState().expiresAt).toBeNull()
    expect(await opaque.getAccessToken()).toBe('opaque-token')
  })
})
