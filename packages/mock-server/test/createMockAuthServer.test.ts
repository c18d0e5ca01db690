import { describe, expect, it, vi } from 'vitest'
import { createMockAuthServer } from '@tokenrail/mock-server'
import { BASE_URL, TEST_EPOCH, getWithToken, login, post, refresh, useMsw } from './helpers'

const msw = useMsw()

describe('options', () => {
  it('refuses a key shorter than 32 bytes, naming its length and never its value', () => {
    const attempt = () => createMockAuthServer({ baseURL: BASE_URL, key: 'short-secret-31-bytes-long-xxxx' })
    expect(attempt).toThrow(RangeError)
    expect(attempt).toThrow('key must be at least 32 bytes for HS256, got 31')
    try {
      attempt()
    } catch (error) {
      expect(String(error)).not.toContain('short-secret')
    }
    expect(() => createMockAuthServer({ baseURL: BASE_URL, key: new Uint8Array(16) })).toThrow(RangeError)
  })

  it('counts a string key in UTF-8 bytes and accepts 32 of them', () => {
    expect(() => createMockAuthServer({ baseURL: BASE_URL, key: 'é'.repeat(16) })).not.toThrow()
    expect(() => createMockAuthServer({ baseURL: BASE_URL, key: new Uint8Array(32) })).not.toThrow()
  })

  it('gives every server its own random key by default', async () => {
    const a = msw.start()
    const b = msw.start({ baseURL: 'https://b.example.com' })
    const token = await a.signAccessToken({ sub: 'demo' })
    expect((await getWithToken(a.endpoints.me, token)).status).toBe(200)
    expect((await getWithToken(b.endpoints.me, token)).status).toBe(401)
  })

  it('shares tokens between servers given the same key', async () => {
    const key = 'the-same-key-for-both-servers-here'
    const a = msw.start({ key })
    const b = msw.start({ key, baseURL: 'https://b.example.com' })
    const token = await a.signAccessToken({ sub: 'demo' })
    expect((await getWithToken(b.endpoints.me, token)).status).toBe(200)
  })

  it.each([
    ['a missing baseURL', {}],
    ['a relative baseURL without a leading slash', { baseURL: 'api' }],
    ['a protocol-relative baseURL', { baseURL: '//api.example.com' }],
    ['a baseURL with a query', { baseURL: 'https://api.example.com/?x=1' }],
    ['a non-http baseURL', { baseURL: 'ftp://api.example.com' }],
    ['a zero access token lifetime', { baseURL: BASE_URL, accessTokenTtl: 0 }],
    ['a fractional refresh lifetime', { baseURL: BASE_URL, refreshTokenTtl: 1.5 }],
    ['a negative grace window', { baseURL: BASE_URL, reuseGraceSeconds: -1 }],
    ['an unknown refresh token mode', { baseURL: BASE_URL, refreshToken: 'header' }],
    ['a cookie name with a space', { baseURL: BASE_URL, refreshCookieName: 'my cookie' }],
    ['an empty issuer', { baseURL: BASE_URL, issuer: '' }],
    ['zero hash iterations', { baseURL: BASE_URL, passwordHashIterations: 0 }],
    ['a user without a password', { baseURL: BASE_URL, users: [{ username: 'x' }] }],
    ['two users with one name', { baseURL: BASE_URL, users: [{ username: 'x', password: 'a' }, { username: 'x', password: 'b' }] }],
  ])('refuses %s at creation', (_name, options) => {
    expect(() => createMockAuthServer(options as never)).toThrow(/baseURL|must|needs|duplicate/)
  })

  it('serves under a base path of an absolute baseURL, port included', async () => {
    const mock = msw.start({ baseURL: 'http://127.0.0.1:4000/v1/' })
    expect(mock.endpoints).toEqual({
      login: 'http://127.0.0.1:4000/v1/auth/login',
      refresh: 'http://127.0.0.1:4000/v1/auth/refresh',
      logout: 'http://127.0.0.1:4000/v1/auth/logout',
      me: 'http://127.0.0.1:4000/v1/auth/me',
      todos: 'http://127.0.0.1:4000/v1/api/todos',
    })
    expect((await login(mock)).tokenType).toBe('Bearer')
  })

  it('keeps path endpoints for a path baseURL (resolved against the page origin by msw)', () => {
    expect(createMockAuthServer({ baseURL: '/' }).endpoints.login).toBe('/auth/login')
    expect(createMockAuthServer({ baseURL: '/v2' }).endpoints.todos).toBe('/v2/api/todos')
  })
})

describe('clock', () => {
  it('is Date.now() plus the advanced offset, read at every call', () => {
    const mock = msw.start()
    expect(mock.clock.now()).toBe(TEST_EPOCH)
    mock.clock.advance(90)
    expect(mock.clock.now()).toBe(TEST_EPOCH + 90_000)
    vi.setSystemTime(TEST_EPOCH + 5000)
    expect(mock.clock.now()).toBe(TEST_EPOCH + 95_000)
    mock.clock.reset()
    expect(mock.clock.now()).toBe(TEST_EPOCH + 5000)
  })

  it('composes with fake timers: advancing them moves token expiry too', async () => {
    vi.useFakeTimers({ now: TEST_EPOCH })
    const mock = msw.start({ accessTokenTtl: 60 })
    const { accessToken } = await login(mock)
    mock.clock.advance(30)
    await vi.advanceTimersByTimeAsync(29_000)
    expect((await getWithToken(mock.endpoints.me, accessToken)).status).toBe(200)
    await vi.advanceTimersByTimeAsync(1000)
    expect((await getWithToken(mock.endpoints.me, accessToken)).status).toBe(401)
  })

  it.each([[-1], [Number.NaN], [Number.POSITIVE_INFINITY]])('refuses advance(%s)', (seconds) => {
    const mock = msw.start()
    expect(() => mock.clock.advance(seconds)).toThrow(RangeError)
    expect(mock.clock.now()).toBe(TEST_EPOCH)
  })
})

describe('stats and reset()', () => {
  it('counts logins, failures, attempts, rotations, reuse, revocations, logouts and API calls', async () => {
    const mock = msw.start()
    const stats = mock.stats
    await post(mock.endpoints.login, { username: 'demo', password: 'wrong' })
    const first = await login(mock)
    mock.faults.failNextRefresh(500)
    await refresh(mock, first.refreshToken)
    const second = await (await refresh(mock, first.refreshToken)).json()
    await refresh(mock, first.refreshToken)
    await post(mock.endpoints.logout, { refreshToken: second.refreshToken })
    await getWithToken(mock.endpoints.todos, second.accessToken)

    expect({ ...stats }).toEqual({
      logins: 1,
      loginFailures: 1,
      refreshAttempts: 3,
      refreshes: 1,
      graceReplays: 0,
      reuseDetected: 1,
      revoked: 1, // reuse revoked the family; the logout found it already revoked
      logouts: 1,
      apiRequests: 1,
      unauthorized: 1,
    })
  })

  it('reset() forgets sessions, todos, stats, faults and the clock offset, and keeps users', async () => {
    const mock = msw.start({ users: [{ username: 'kept', password: 'kept-pw' }] })
    const stats = mock.stats
    const tokens = await login(mock, 'kept', 'kept-pw')
    await post(mock.endpoints.todos, { title: 'gone after reset' }, { Authorization: `Bearer ${tokens.accessToken}` })
    mock.faults.failNextRefresh('network')
    mock.clock.advance(100)

    mock.reset()

    expect(stats).toBe(mock.stats)
    expect(Object.values(stats).every((count) => count === 0)).toBe(true)
    expect(mock.clock.now()).toBe(TEST_EPOCH)
    const refused = await refresh(mock, tokens.refreshToken)
    expect(refused.status).toBe(400) // the session is gone, and the queued network fault with it
    const fresh = await login(mock, 'kept', 'kept-pw')
    expect(await (await getWithToken(mock.endpoints.todos, fresh.accessToken)).json()).toEqual([])
  })
})
