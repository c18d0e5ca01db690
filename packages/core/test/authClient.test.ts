import { http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { createAuthClient, LoginError, NetworkError } from '../src'
import { unsignedJwt } from './unsignedJwt'
import { API, credentials, holdAnswer, TODOS, useClients, useMockApi } from './mockApi'

const { mock, server, to } = useMockApi()

const { client } = useClients()

describe('login', () => {
  it('posts the credentials, stores the tokens and resolves the new state with the user claims', async () => {
    const auth = client()
    const login = vi.fn()
    auth.on('login', login)
    const state = await auth.login(credentials)
    expect(state).toBe(auth.getState())
    expect(state).toMatchObject({
      status: 'authenticated',
      user: { sub: 'demo', name: 'Demo User', email: 'demo@example.com' },
      refreshing: false,
    })
    expect(state.accessToken).toMatch(/^ey/)
    expect(state.expiresAt).toBeGreaterThan(Date.now() + 299_000)
    expect(login).toHaveBeenCalledWith(state)
    expect(mock.stats.logins).toBe(1)
  })

  it('rejects LoginError with the status and the server error code, and stores nothing', async () => {
    const auth = client()
    const listener = vi.fn()
    auth.subscribe(listener)
    const error = await auth.login({ username: 'demo', password: 'wrong' }).catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(LoginError)
    expect(error).toMatchObject({ status: 401, error: 'invalid_credentials', code: 'login_failed' })
    expect(String((error as Error).message)).not.toContain('wrong')
    expect(JSON.stringify(error)).not.toContain('wrong')
    expect(auth.getState().status).toBe('unauthenticated')
    expect(listener).not.toHaveBeenCalled()
  })

  it('rejects NetworkError when the server cannot be reached or answers 5xx', async () => {
    const auth = client()
    server.use(http.post(`${API}/auth/login`, () => HttpResponse.error()))
    await expect(auth.login(credentials)).rejects.toBeInstanceOf(NetworkError)
    server.use(http.post(`${API}/auth/login`, () => new HttpResponse(null, { status: 502 })))
    await expect(auth.login(credentials)).rejects.toMatchObject({ name: 'NetworkError', status: 502 })
    expect(auth.getState().status).toBe('unauthenticated')
  })

  it('rejects an answer without a token set and stores nothing', async () => {
    const auth = client()
    server.use(http.post(`${API}/auth/login`, () => HttpResponse.text('<html>maintenance</html>')))
    await expect(auth.login(credentials)).rejects.toMatchObject({ code: 'bad_response' })
    server.use(http.post(`${API}/auth/login`, () => HttpResponse.json({ accessToken: 'bad token' })))
    await expect(auth.login(credentials)).rejects.toMatchObject({ code: 'invalid_token' })
    expect(auth.getState().status).toBe('unauthenticated')
  })

  it('times out a login that never answers', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const auth = client({ timeout: 5000 })
      server.use(http.post(`${API}/auth/login`, () => new Promise<Response>(() => undefined)))
      const login = auth.login(credentials).catch((reason: unknown) => reason)
      await vi.advanceTimersByTimeAsync(5000)
      expect(await login).toMatchObject({ name: 'NetworkError', code: 'timeout' })
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('logout', () => {
  it('revokes the refresh token on the server, clears the state and emits logout', async () => {
    const auth = client()
    await auth.login(credentials)
    const logout = vi.fn()
    auth.on('logout', logout)
    await auth.logout()
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', accessToken: null, user: null, expiresAt: null })
    expect(logout).toHaveBeenCalledTimes(1)
    expect(mock.stats.revoked).toBe(1)
    await expect(auth.refresh()).rejects.toMatchObject({ name: 'SessionExpiredError' })
  })

  it('never rejects for a server or network failure, and still clears local tokens', async () => {
    const auth = client()
    await auth.login(credentials)
    server.use(http.post(`${API}/auth/logout`, () => HttpResponse.error()))
    await expect(auth.logout()).resolves.toBeUndefined()
    expect(auth.getState().status).toBe('unauthenticated')
  })

  it('does not call the server when nobody is logged in', async () => {
    const auth = client()
    await auth.logout()
    expect(to('/auth/logout')).toHaveLength(0)
  })
})

describe('logout and login racing, and where logout sends the token', () => {
  it('sends the access token to the logout endpoint only when its origin is allowed', async () => {
    const trusted = client()
    await trusted.login(credentials)
    await trusted.logout()
    const elsewhere = client({ allowedOrigins: ['https://files.example.org'] })
    await elsewhere.login(credentials)
    await elsewhere.logout()
    expect(to('/auth/logout').map((request) => request.authorization?.split(' ')[0] ?? null)).toEqual(['Bearer', null])
  })

  it('the old session expiring while a new login is on the wire does not drop the login', async () => {
    const auth = client()
    await auth.login(credentials)
    const answer = holdAnswer(server, '/auth/login', async () => ({
      accessToken: await mock.signAccessToken({ sub: 'demo', second: true }),
      refreshToken: 'r2',
      expiresIn: 300,
    }))
    const login = auth.login(credentials)
    await vi.waitFor(() => expect(to('/auth/login')).toHaveLength(2))
    mock.reset() // the old session's refresh token is now refused
    await expect(auth.refresh()).rejects.toMatchObject({ code: 'session_expired' })
    answer()
    await expect(login).resolves.toMatchObject({ status: 'authenticated', user: { second: true } })
  })

  it('a logout called right after login(), before the login went out, wins over it', async () => {
    const auth = client()
    const login = auth.login(credentials).catch((error: unknown) => error)
    await auth.logout()
    expect(await login).toMatchObject({ name: 'SessionExpiredError', code: 'logged_out' })
    expect(auth.getState().status).toBe('unauthenticated')
  })

  it('a logout while the login is on the wire wins: the login rejects and nothing is adopted', async () => {
    const answer = holdAnswer(server, '/auth/login', async () => ({
      accessToken: await mock.signAccessToken({ sub: 'demo' }),
      refreshToken: 'r',
      expiresIn: 300,
    }))
    const auth = client()
    const login = auth.login(credentials).catch((error: unknown) => error)
    await vi.waitFor(() => expect(to('/auth/login')).toHaveLength(1))
    await auth.logout()
    answer()
    expect(await login).toMatchObject({ name: 'SessionExpiredError', code: 'logged_out' })
    expect(auth.getState().status).toBe('unauthenticated')
  })
})

describe('state and events', () => {
  it('getState returns the same object until something changes, and subscribers hear each change once', async () => {
    const auth = client()
    const listener = vi.fn()
    const unsubscribe = auth.subscribe(listener)
    const initial = auth.getState()
    expect(auth.getState()).toBe(initial)
    await auth.login(credentials)
    const loggedIn = auth.getState()
    expect(loggedIn).not.toBe(initial)
    expect(auth.getState()).toBe(loggedIn)
    const calls = listener.mock.calls.length
    expect(calls).toBe(1)
    await auth.refresh()
    // refreshing on, new tokens, refreshing off
    expect(listener.mock.calls.length).toBe(calls + 3)
    unsubscribe()
    await auth.logout()
    expect(listener.mock.calls.length).toBe(calls + 3)
  })

  it('emits refresh with the new state, and on() returns its own off', async () => {
    const auth = client()
    await auth.login(credentials)
    const refreshed = vi.fn()
    const off = auth.on('refresh', refreshed)
    await auth.refresh()
    off()
    await auth.refresh()
    expect(refreshed).toHaveBeenCalledTimes(1)
    expect(refreshed.mock.calls[0]?.[0]).toMatchObject({ status: 'authenticated' })
  })

  it('starts unauthenticated at once with a synchronous storage, and ready resolves', async () => {
    const auth = client()
    expect(auth.getState().status).toBe('unauthenticated')
    await expect(auth.ready).resolves.toBeUndefined()
  })
})

describe('getAccessToken and refresh', () => {
  it('gives the current token while it is fresh, without a request', async () => {
    const auth = client()
    await auth.login(credentials)
    expect(await auth.getAccessToken()).toBe(auth.getState().accessToken)
    expect(mock.stats.refreshAttempts).toBe(0)
  })

  it('gives null when logged out, and refresh rejects', async () => {
    const auth = client()
    expect(await auth.getAccessToken()).toBeNull()
    await expect(auth.refresh()).rejects.toMatchObject({ name: 'SessionExpiredError' })
  })

  it('refresh rotates the refresh token and resolves the new access token', async () => {
    const auth = client()
    await auth.login(credentials)
    const token = await auth.refresh()
    expect(token).toBe(auth.getState().accessToken)
    expect(mock.stats.refreshes).toBe(1)
    await auth.refresh()
    expect(mock.stats.refreshes).toBe(2)
    expect(mock.stats.reuseDetected).toBe(0)
  })

  it('keeps the refresh token when the server does not rotate it', async () => {
    const auth = client()
    await auth.login(credentials)
    const access = await mock.signAccessToken({ sub: 'demo' })
    let sent: unknown
    server.use(
      http.post(`${API}/auth/refresh`, async ({ request }) => {
        sent = await request.json()
        return HttpResponse.json({ access_token: access, expires_in: 300 })
      }),
    )
    await auth.refresh()
    const first = sent
    await auth.refresh()
    expect(sent).toEqual(first)
    expect(auth.getState().accessToken).toBe(access)
  })
})

describe('setTokens', () => {
  it('adopts tokens obtained elsewhere and emits login', async () => {
    const auth = client()
    const login = vi.fn()
    auth.on('login', login)
    const accessToken = await mock.signAccessToken({ sub: 'demo' })
    auth.setTokens({ accessToken, refreshToken: 'from-ssr' })
    expect(auth.getState()).toMatchObject({ status: 'authenticated', accessToken, user: { sub: 'demo' } })
    expect(login).toHaveBeenCalledTimes(1)
    expect((await auth.fetch(TODOS)).status).toBe(200)
  })

  it('throws a typed error for a malformed token and keeps what it had', async () => {
    const auth = client()
    await auth.login(credentials)
    const state = auth.getState()
    expect(() => auth.setTokens({ accessToken: 'a\r\nb' })).toThrow(expect.objectContaining({ code: 'invalid_token' }))
    expect(() => auth.setTokens({ accessToken: unsignedJwt([1]) })).toThrow(expect.objectContaining({ code: 'invalid_token' }))
    expect(auth.getState()).toBe(state)
  })

  it('tokens without a refresh token are used until they expire, and only then does the session end', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    try {
      const auth = client({ autoRefresh: true })
      const expired = vi.fn()
      auth.on('sessionExpired', expired)
      auth.setTokens({ accessToken: await mock.signAccessToken({ sub: 'demo' }) }) // 300 s, no refresh token
      await vi.advanceTimersByTimeAsync(299_000) // well inside the 30 s leeway
      expect(await auth.getAccessToken()).toBe(auth.getState().accessToken)
      expect([auth.getState().status, expired.mock.calls.length]).toEqual(['authenticated', 0])
      await vi.advanceTimersByTimeAsync(1000)
      expect([auth.getState().status, expired.mock.calls.length]).toEqual(['unauthenticated', 1])
      expect(to('/auth/refresh')).toHaveLength(0)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('parseTokens', () => {
  it('adapts another server shape', async () => {
    server.use(
      http.post(`${API}/auth/login`, async () =>
        HttpResponse.json({ data: { jwt: await mock.signAccessToken({ sub: 'demo' }), renew: 'r1', ttl: 300 } }),
      ),
    )
    const auth = client({
      parseTokens: (body) => {
        const { jwt, renew, ttl } = (body as { data: { jwt: string; renew: string; ttl: number } }).data
        return { accessToken: jwt, refreshToken: renew, expiresIn: ttl }
      },
    })
    await auth.login(credentials)
    expect(auth.getState().user).toMatchObject({ sub: 'demo' })
  })

  it('a parseTokens that throws or returns junk is a bad response', async () => {
    const throwing = client({
      parseTokens: () => {
        throw new Error('unexpected shape')
      },
    })
    await expect(throwing.login(credentials)).rejects.toMatchObject({ code: 'bad_response' })
    const junk = client({ parseTokens: () => 42 as never })
    await expect(junk.login(credentials)).rejects.toMatchObject({ code: 'bad_response' })
  })
})

describe('configuration', () => {
  it('throws a clear TypeError for a baseURL that is not a URL', () => {
    expect(() => createAuthClient({ baseURL: 'not a url' })).toThrow(TypeError)
    expect(() => createAuthClient({ baseURL: 'not a url' })).toThrow(/baseURL "not a url" is not a URL/)
  })

  it.each([
    ['refreshLeeway', NaN, 'seconds, at least 0'],
    ['refreshLeeway', -5, 'seconds, at least 0'],
    ['refreshLeeway', Infinity, 'seconds, at least 0'],
    ['timeout', Infinity, '1 to 2147483647 ms'],
    ['timeout', 0, '1 to 2147483647 ms'],
    // setTimeout would take it for 1 ms: "no timeout" would become "fail at once"
    ['timeout', 2 ** 31, '1 to 2147483647 ms'],
  ])('throws a clear TypeError for %s: %s, which would spin a timer or never fire it', (name, value, rule) => {
    expect(() => createAuthClient({ baseURL: API, [name]: value })).toThrow(new TypeError(`tokenrail: ${name} must be ${rule}`))
  })

  it('builds endpoint URLs from the baseURL origin and path only, never its query or fragment', async () => {
    server.use(http.post(`${API}/v1/auth/login`, () => HttpResponse.json({ error: 'seen' }, { status: 400 })))
    const auth = client({ baseURL: `${API}/v1?tenant=a#frag` })
    await expect(auth.login(credentials)).rejects.toMatchObject({ status: 400, error: 'seen' })
  })

  it('puts custom endpoint paths under the baseURL path', async () => {
    server.use(http.post(`${API}/v1/session`, () => HttpResponse.json({ error: 'nope' }, { status: 403 })))
    const auth = client({ baseURL: `${API}/v1`, endpoints: { login: '/session' } })
    await expect(auth.login(credentials)).rejects.toMatchObject({ status: 403, error: 'nope' })
  })

  it('takes an endpoint given as undefined for the default one (options spread from a config with gaps)', async () => {
    server.use(http.post(`${API}/v1/auth/login`, () => HttpResponse.json({ error: 'default' }, { status: 403 })))
    const auth = client({ baseURL: `${API}/v1`, endpoints: { login: undefined, refresh: '/session/refresh' } })
    await expect(auth.login(credentials)).rejects.toMatchObject({ status: 403, error: 'default' })
  })
})
