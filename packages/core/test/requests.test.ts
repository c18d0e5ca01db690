import { attachAxios } from '@tokenrail/core/axios'
import axios from 'axios'
import { http, HttpResponse, type JsonBodyType } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { createAuthClient, type AuthClient, type AuthClientOptions, type AuthError, type AuthRequest } from '../src'
import { unsignedJwt } from './unsignedJwt'

// A backend of the user's own, on another origin than the mock server's: it records every call to its auth
// endpoints as it arrived (method, headers, body), and answers what the test tells it to.
const AUTH = 'https://auth.example.net'
const API = 'https://api.example.net'

interface Received {
  path: string
  method: string
  headers: Record<string, string>
  body: string
}
const received: Received[] = []
let answers: Record<string, () => Response> = {}
let serial = 0
let stale = ''
const tokensAnswer = (extra: Record<string, unknown> = {}) =>
  HttpResponse.json({ access: unsignedJwt({ sub: 'u1', n: ++serial, exp: Math.floor(Date.now() / 1000) + 300 }), refresh: `r${serial}`, ...extra })

const server = setupServer(
  http.all(`${AUTH}/*`, async ({ request }) => {
    const url = new URL(request.url)
    received.push({
      path: url.pathname + url.search,
      method: request.method,
      headers: Object.fromEntries(request.headers),
      body: await request.text(),
    })
    return (answers[url.pathname] ?? (() => tokensAnswer()))()
  }),
  // The API no longer takes one token (stale), and answers 419 for it, a Laravel habit.
  http.get(`${API}/data`, ({ request }) =>
    request.headers.get('authorization') === `Bearer ${stale}` ? new HttpResponse(null, { status: 419 }) : HttpResponse.json({ ok: 1 }),
  ),
)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  server.resetHandlers()
  received.length = 0
  answers = {}
  clients.forEach((client) => client.destroy())
  clients = []
  serial = 0
  stale = ''
  vi.useRealTimers()
})
afterAll(() => server.close())

let clients: AuthClient[] = []
const parseTokens = (body: unknown) => {
  const { access, refresh } = body as { access: string; refresh?: string }
  return { accessToken: access, refreshToken: refresh }
}
function client(options: Partial<AuthClientOptions> = {}) {
  const auth = createAuthClient({
    baseURL: AUTH,
    endpoints: { login: '/token/', refresh: '/token/refresh/', logout: '/token/blacklist/' },
    parseTokens,
    ...options,
  })
  clients.push(auth)
  return auth
}
async function loggedIn(options: Partial<AuthClientOptions> = {}) {
  const auth = client(options)
  await auth.login({ username: 'u', password: 'p' })
  received.length = 0
  return auth
}
const errors = (auth: AuthClient) => {
  const seen: AuthError[] = []
  auth.on('error', (error) => void seen.push(error))
  return seen
}
const answer = (path: string, status: number, body?: JsonBodyType) =>
  (answers[path] = () => (body === undefined ? new HttpResponse(null, { status }) : HttpResponse.json(body, { status })))

describe('requests: each call as the backend wants it', () => {
  it('by default: POST JSON credentials, POST JSON { refreshToken }, POST JSON { refreshToken } with the Bearer', async () => {
    const auth = client({ parseTokens: undefined, endpoints: undefined })
    answers['/auth/login'] = () => HttpResponse.json({ accessToken: unsignedJwt({ sub: 'u1' }), refreshToken: 'r0' })
    answers['/auth/refresh'] = () => HttpResponse.json({ accessToken: unsignedJwt({ sub: 'u1', n: 2 }), refreshToken: 'r1' })
    await auth.login({ username: 'u', password: 'p' })
    await auth.refresh()
    const token = auth.getState().accessToken
    await auth.logout()
    expect(received.map(({ path, method, headers, body }) => [path, method, headers['content-type'], headers.authorization, body])).toEqual([
      ['/auth/login', 'POST', 'application/json', undefined, '{"username":"u","password":"p"}'],
      ['/auth/refresh', 'POST', 'application/json', undefined, '{"refreshToken":"r0"}'],
      ['/auth/logout', 'POST', 'application/json', `Bearer ${token}`, '{"refreshToken":"r1"}'],
    ])
  })

  it.each<[string, (tokens: { refreshToken?: string; accessToken?: string }) => AuthRequest | Promise<AuthRequest>, Partial<Received>]>([
    [
      'a form (URLSearchParams)',
      ({ refreshToken }) => ({ body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken! }) }),
      { method: 'POST', body: 'grant_type=refresh_token&refresh_token=r1' },
    ],
    ['JSON of another shape', ({ refreshToken }) => ({ body: { refresh: refreshToken } }), { method: 'POST', body: '{"refresh":"r1"}' }],
    ['a JSON array', ({ refreshToken }) => ({ body: [refreshToken] }), { body: '["r1"]' }],
    ['a string, as it is', ({ refreshToken }) => ({ body: `token=${refreshToken}`, headers: { 'Content-Type': 'text/plain' } }), { body: 'token=r1' }],
    ['the token in a header and no body', ({ refreshToken }) => ({ headers: { Authorization: `Bearer ${refreshToken}` } }), { method: 'POST', body: '' }],
    ['another method', () => ({ method: 'PUT', body: null }), { method: 'PUT', body: '' }],
    ['a GET with no body', () => ({ method: 'GET' }), { method: 'GET', body: '' }],
    ['a builder that returns a promise', async ({ refreshToken }) => ({ body: { refresh: refreshToken } }), { body: '{"refresh":"r1"}' }],
  ])('refresh sent as %s', async (_, refresh, expected) => {
    const auth = await loggedIn({ requests: { refresh } })
    await auth.refresh()
    expect(received).toHaveLength(1)
    expect(received[0]).toMatchObject({ path: '/token/refresh/', ...expected })
  })

  it('a form body goes out as application/x-www-form-urlencoded, a JSON one as application/json, a header as given', async () => {
    const auth = await loggedIn({
      requests: {
        refresh: ({ refreshToken }) => ({ body: new URLSearchParams({ refresh_token: refreshToken! }), headers: { apikey: 'public-key' } }),
        logout: ({ refreshToken }) => ({ body: { refresh: refreshToken }, headers: { 'X-Client': 'spa' } }),
      },
    })
    await auth.refresh()
    await auth.logout()
    expect(received[0]?.headers).toMatchObject({ 'content-type': expect.stringMatching(/^application\/x-www-form-urlencoded/), apikey: 'public-key' })
    expect(received[1]?.headers).toMatchObject({ 'content-type': 'application/json', 'x-client': 'spa' })
    expect(received[1]?.headers.authorization).toBeUndefined()
  })

  it('the login builder gets the credentials as they were given', async () => {
    const auth = client({ requests: { login: (credentials) => ({ body: new URLSearchParams(credentials as Record<string, string>) }) } })
    await auth.login({ email: 'a@example.net', password: 'p' })
    expect(received[0]?.body).toBe('email=a%40example.net&password=p')
  })

  it('logout may send several requests, in order (a refresh token revoked, then the access token)', async () => {
    const auth = await loggedIn({
      requests: {
        logout: ({ refreshToken, accessToken }) => [
          { body: new URLSearchParams({ token: refreshToken!, token_type_hint: 'refresh_token' }) },
          { body: new URLSearchParams({ token: accessToken!, token_type_hint: 'access_token' }) },
        ],
      },
    })
    const token = auth.getState().accessToken!
    await auth.logout()
    expect(received.map((request) => request.body)).toEqual([
      'token=r1&token_type_hint=refresh_token',
      `token=${encodeURIComponent(token)}&token_type_hint=access_token`,
    ])
  })

  it('logout: null makes no server call, and the session still ends here', async () => {
    const auth = await loggedIn({ requests: { logout: null } })
    await auth.logout()
    expect(received).toEqual([])
    expect(auth.getState().status).toBe('unauthenticated')
  })

  it('a header that carries a token goes only to an allowed origin; the body still goes to the auth endpoint', async () => {
    const auth = await loggedIn({
      allowedOrigins: [API],
      requests: {
        refresh: ({ refreshToken, accessToken }) => ({
          headers: { authorization: `Bearer ${accessToken}`, 'x-refresh': refreshToken!, 'x-app': 'demo' },
          body: { refresh: refreshToken },
        }),
      },
    })
    await auth.refresh()
    expect(received[0]?.headers.authorization).toBeUndefined()
    expect(received[0]?.headers['x-refresh']).toBeUndefined()
    expect(received[0]?.headers['x-app']).toBe('demo')
    expect(received[0]?.body).toBe('{"refresh":"r1"}')
  })

  it('with a refresh builder, a session without a refresh token is refreshed too (with its access token, as Laravel does)', async () => {
    let clock = Date.now()
    answers['/token/'] = () => HttpResponse.json({ access: unsignedJwt({ sub: 'u1', iat: Math.floor(clock / 1000), exp: Math.floor(clock / 1000) + 60 }) })
    answers['/token/refresh/'] = () => HttpResponse.json({ access: unsignedJwt({ sub: 'u1', n: 2 }) })
    const auth = await loggedIn({ now: () => clock, requests: { refresh: ({ accessToken }) => ({ headers: { authorization: `Bearer ${accessToken}` } }) } })
    const first = auth.getState().accessToken
    clock += 31_000 // inside the leeway: refreshed before use, not kept until it expires
    expect(await auth.getAccessToken()).not.toBe(first)
    expect(received[0]).toMatchObject({ path: '/token/refresh/', headers: { authorization: `Bearer ${first}` } })
  })

  it('cookie mode keeps its CSRF header and credentials with a builder of the app’s', async () => {
    const seen: RequestInit[] = []
    const transport: typeof fetch = (input, init) => (seen.push(init!), fetch(input, init))
    const auth = client({ refreshToken: 'cookie', fetch: transport, requests: { refresh: () => ({ body: new URLSearchParams({ a: '1' }) }) } })
    await auth.ready
    expect(seen[0]).toMatchObject({ credentials: 'include', keepalive: true, headers: { 'x-tokenrail-csrf': '1' } })
    expect(received[0]?.headers['x-tokenrail-csrf']).toBe('1')
  })
})

describe('requests: a builder that fails', () => {
  const broken: [string, () => unknown][] = [
    ['throws', () => { throw new Error('no refresh token here') }],
    ['rejects', () => Promise.reject(new Error('no'))],
    ['returns nothing', () => undefined],
    ['returns a string', () => 'refresh=r1'],
    ['returns a list for a single call', () => [{ body: {} }]],
    ['returns headers that are not a record', () => ({ headers: 'authorization: x' })],
  ]

  it.each(broken)('refresh: one that %s fails the call with a configuration error that names it; the session stays, nothing is sent', async (how, refresh) => {
    const auth = await loggedIn({ requests: { refresh: refresh as never } })
    const reported = errors(auth)
    const error = await auth.refresh().catch((reason: unknown) => reason)
    expect(error).toMatchObject({ name: 'AuthError', code: 'configuration' })
    expect((error as Error).message).toMatch(/^requests\.refresh (threw|returned no AuthRequest)/)
    expect(received).toEqual([])
    expect(auth.getState().status).toBe('authenticated')
    expect(reported).toEqual([error])
    // A failure like any other: the next try waits for the backoff window.
    await expect(auth.refresh()).rejects.toBe(error)
    expect(how).toBeTruthy()
  })

  it.each(broken)('login: one that %s rejects the login with a configuration error; nothing is stored', async (_, login) => {
    const auth = client({ requests: { login: login as never } })
    await expect(auth.login({})).rejects.toMatchObject({ code: 'configuration', message: expect.stringMatching(/^requests\.login/) })
    expect(auth.getState().status).toBe('unauthenticated')
    expect(received).toEqual([])
  })

  it.each(broken.filter(([how]) => !how.includes('list')))('logout: one that %s still logs out here, and is reported', async (_, logout) => {
    const auth = await loggedIn({ requests: { logout: logout as never } })
    const reported = errors(auth)
    await expect(auth.logout()).resolves.toBeUndefined()
    expect(auth.getState().status).toBe('unauthenticated')
    expect(reported).toEqual([expect.objectContaining({ code: 'logout_failed', message: expect.stringMatching(/^requests\.logout/) })])
  })

  it('one that never answers settles the call at the timeout', async () => {
    const auth = await loggedIn({ timeout: 5000, requests: { refresh: () => new Promise<never>(() => undefined) } })
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    const refreshed = auth.refresh().catch((reason: unknown) => reason)
    await vi.advanceTimersByTimeAsync(5000)
    expect(await refreshed).toMatchObject({ name: 'NetworkError', code: 'timeout' })
    expect(auth.getState().status).toBe('authenticated')
  })
})

describe('refused: which refresh answers end the session', () => {
  it.each([
    [400, { error: 'invalid_grant' }, 'SessionExpiredError', 'session_expired'],
    [401, { detail: 'Token is blacklisted', code: 'token_not_valid' }, 'SessionExpiredError', 'session_expired'],
    [403, { error: 'forbidden' }, 'AuthError', 'configuration'],
    [404, undefined, 'AuthError', 'configuration'],
    [415, { error: 'unsupported_media_type' }, 'AuthError', 'configuration'],
    [429, undefined, 'NetworkError', 'server_error'],
    [503, undefined, 'NetworkError', 'server_error'],
  ] as const)('by default, a %i refresh answer (%o) is a %s (%s)', async (status, body, name, code) => {
    const auth = await loggedIn()
    answer('/token/refresh/', status, body)
    await expect(auth.refresh()).rejects.toMatchObject({ name, code, status })
    expect(auth.getState().status).toBe(name === 'SessionExpiredError' ? 'unauthenticated' : 'authenticated')
  })

  it('the app decides from the status and the parsed body: only invalid_grant ends the session', async () => {
    const judged: unknown[] = []
    const refused = (answer: { status: number; body: unknown }) => (judged.push(answer), (answer.body as { error?: string } | undefined)?.error === 'invalid_grant')
    const auth = await loggedIn({ refused })
    const reported = errors(auth)
    answer('/token/refresh/', 401, { error: 'invalid_client', error_description: 'client authentication failed' })
    await expect(auth.refresh()).rejects.toMatchObject({ name: 'AuthError', code: 'configuration', status: 401, error: 'invalid_client' })
    expect(auth.getState().status).toBe('authenticated')
    expect(reported).toEqual([expect.objectContaining({ error: 'invalid_client' })])

    const later = await loggedIn({ refused })
    answer('/token/refresh/', 400, { error: 'invalid_grant' })
    await expect(later.refresh()).rejects.toMatchObject({ name: 'SessionExpiredError', error: 'invalid_grant' })
    answers['/token/refresh/'] = () => new HttpResponse('<html>bad gateway</html>', { status: 400 })
    const third = await loggedIn({ refused })
    await expect(third.refresh()).rejects.toMatchObject({ code: 'configuration' })
    expect(judged).toEqual([
      { status: 401, body: { error: 'invalid_client', error_description: 'client authentication failed' } },
      { status: 400, body: { error: 'invalid_grant' } },
      { status: 400, body: undefined },
    ])
  })
})

describe('a logout the server did not take is reported', () => {
  it.each([
    ['refused (400)', () => answer('/token/blacklist/', 400, { detail: 'Token is blacklisted' }), { status: 400 }],
    ['refused (401)', () => answer('/token/blacklist/', 401, { error: 'invalid_token' }), { status: 401, error: 'invalid_token' }],
    ['a 500', () => answer('/token/blacklist/', 500), { status: 500 }],
    ['unanswered (network)', () => (answers['/token/blacklist/'] = () => HttpResponse.error()), {}],
  ])('%s: logout resolves, the session ends here, and an error event with code logout_failed says so', async (_, fault, details) => {
    const auth = await loggedIn()
    const reported = errors(auth)
    fault()
    await expect(auth.logout()).resolves.toBeUndefined()
    expect(auth.getState().status).toBe('unauthenticated')
    expect(reported).toEqual([expect.objectContaining({ name: 'AuthError', code: 'logout_failed', ...details })])
  })

  it('an accepted one reports nothing', async () => {
    const auth = await loggedIn()
    const reported = errors(auth)
    answer('/token/blacklist/', 200, {})
    await auth.logout()
    expect(reported).toEqual([])
  })
})

describe('statusCodes: one option for auth.fetch and attachAxios', () => {
  it('the client’s statusCodes start the refresh for auth.fetch and for an instance attached without its own', async () => {
    const auth = await loggedIn({ allowedOrigins: [API], statusCodes: [401, 419] })
    stale = auth.getState().accessToken!
    expect((await auth.fetch(`${API}/data`)).status).toBe(200)
    stale = auth.getState().accessToken!
    const api = axios.create({ baseURL: API })
    const detach = attachAxios(auth, api)
    expect((await api.get('/data')).status).toBe(200)
    expect(received.filter((request) => request.path === '/token/refresh/')).toHaveLength(2)
    detach()
  })

  it('an instance’s own statusCodes override the client’s', async () => {
    const auth = await loggedIn({ allowedOrigins: [API], statusCodes: [401, 419] })
    stale = auth.getState().accessToken!
    const api = axios.create({ baseURL: API })
    const detach = attachAxios(auth, api, { statusCodes: [401] })
    await expect(api.get('/data')).rejects.toMatchObject({ response: { status: 419 } })
    expect(received).toEqual([])
    detach()
  })

  it('a statusCodes that is not a list is refused when the client is made', () => {
    expect(() => createAuthClient({ baseURL: AUTH, statusCodes: 401 as never })).toThrow(TypeError)
  })
})

describe('setTokens through parseTokens', () => {
  it('takes a server’s answer in the shape parseTokens reads, or a token set as tokenrail keeps it', () => {
    const auth = client()
    const access = unsignedJwt({ sub: 'u2' })
    auth.setTokens({ access, refresh: 'rx' })
    expect(auth.getState()).toMatchObject({ status: 'authenticated', accessToken: access, user: { sub: 'u2' } })
    const next = unsignedJwt({ sub: 'u3' })
    auth.setTokens({ accessToken: next, expiresAt: Date.now() + 60_000 })
    expect(auth.getState().accessToken).toBe(next)
  })
})

describe('auth endpoints whose path carries a query', () => {
  it('are matched on their path: a 401 from one through auth.fetch is never intercepted', async () => {
    const auth = await loggedIn({ endpoints: { login: '/token/', refresh: '/auth/v1/token?grant_type=refresh_token', logout: '/token/blacklist/' } })
    answer('/auth/v1/token', 401, { error: 'invalid_grant' })
    const response = await auth.fetch(`${AUTH}/auth/v1/token?grant_type=password`, { method: 'POST' })
    expect(response.status).toBe(401)
    expect(received).toHaveLength(1)
  })
})

describe('expiry with an iat that is not the issue time', () => {
  it('a token whose answer says the server’s time (Date) expires when exp says, however old its iat', async () => {
    let clock = Date.UTC(2026, 0, 1, 12)
    const serverNow = clock / 1000 + 7200 // the server's clock two hours ahead
    // Django SimpleJWT: the refreshed access token keeps the login's iat, an hour before.
    answers['/token/'] = () =>
      HttpResponse.json(
        { access: unsignedJwt({ sub: 'u1', iat: serverNow - 3600, exp: serverNow + 300 }), refresh: 'r1' },
        { headers: { date: new Date(serverNow * 1000).toUTCString() } },
      )
    const auth = client({ now: () => clock })
    await auth.login({})
    expect(auth.getState().expiresAt! - clock).toBe(301_000)
    clock += 301_000
    expect(await auth.getAccessToken()).not.toBeNull()
    expect(received.map((request) => request.path)).toEqual(['/token/', '/token/refresh/'])
  })
})
