import { discover, handleRedirectCallback, loginWithRedirect, oauth2 } from '@tokenrail/core/oauth2'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { inspect } from 'node:util'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient, isLoginError, type AuthClient } from '../src'
import { fakeWebStorage } from './fakeStorage'
import { unsignedJwt } from './unsignedJwt'

// The redirect login in a page, against an authorization server of msw's: the page's location, history and
// sessionStorage are stand-ins the test reads; the provider's login page is skipped (the test writes the
// redirect back itself). The whole round trip against a real provider runs in the interop suite and in Chromium.
const ISSUER = 'https://login.example.com'
const APP = 'https://app.example.com'
const REDIRECT = `${APP}/callback`
const exchanges: URLSearchParams[] = []
let idTokenClaims: (nonce: string | undefined) => Record<string, unknown>
let lastNonce: string | undefined

const server = setupServer(
  http.get(`${ISSUER}/.well-known/openid-configuration`, () =>
    HttpResponse.json({
      issuer: ISSUER,
      authorization_endpoint: `${ISSUER}/authorize`,
      token_endpoint: `${ISSUER}/token`,
      revocation_endpoint: `${ISSUER}/token/revocation`,
      authorization_response_iss_parameter_supported: true,
    }),
  ),
  http.post(`${ISSUER}/token`, async ({ request }) => {
    const form = new URLSearchParams(await request.text())
    exchanges.push(form)
    const now = Math.floor(Date.now() / 1000)
    return HttpResponse.json({
      access_token: unsignedJwt({ sub: 'alice', aud: 'https://api.example.com', iat: now, exp: now + 300 }),
      refresh_token: 'rt1',
      token_type: 'Bearer',
      expires_in: 300,
      id_token: unsignedJwt({ iss: ISSUER, aud: 'spa', sub: 'alice', name: 'Alice', iat: now, exp: now + 300, ...idTokenClaims(lastNonce) }, { alg: 'RS256' }),
    })
  }),
)

/** The page: where it is, how it navigates, its history and its per-tab storage. */
let page: { href: string; assigned: string[]; replaced: string[]; storage: Storage }
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
beforeEach(() => {
  page = { href: `${APP}/`, assigned: [], replaced: [], storage: fakeWebStorage() }
  vi.stubGlobal('sessionStorage', page.storage)
  vi.stubGlobal('location', {
    get href() {
      return page.href
    },
    assign: (url: string) => void page.assigned.push(url),
  })
  vi.stubGlobal('history', { state: null, replaceState: (_: unknown, __: string, url: string) => void (page.replaced.push(url), (page.href = url)) })
  idTokenClaims = (nonce) => ({ nonce })
})
afterEach(() => {
  vi.unstubAllGlobals()
  server.resetHandlers()
  exchanges.length = 0
  clients.forEach((client) => client.destroy())
  clients = []
})
afterAll(() => server.close())

let clients: AuthClient[] = []
async function client() {
  const auth = createAuthClient({ ...(await discover(ISSUER, { clientId: 'spa', resource: 'https://api.example.com' })), allowedOrigins: ['https://api.example.com'] })
  clients.push(auth)
  return auth
}

/** Starts a login and answers it as the provider would after its login page: back to the redirect URI. */
async function loginAndComeBack(auth: AuthClient, answer: (authorize: URL) => Record<string, string> = (authorize) => ({ code: 'code-1', state: authorize.searchParams.get('state')!, iss: ISSUER })) {
  await loginWithRedirect(auth, { redirectUri: REDIRECT, scope: 'openid offline_access', appState: { returnTo: '/todos' } })
  const authorize = new URL(page.assigned.at(-1)!)
  lastNonce = authorize.searchParams.get('nonce') ?? undefined
  const back = new URL(REDIRECT)
  for (const [name, value] of Object.entries(answer(authorize))) back.searchParams.set(name, value)
  page.href = back.href
  return authorize
}

describe('loginWithRedirect', () => {
  it('sends the page to the authorization endpoint with PKCE (S256), a state and a nonce, kept in sessionStorage for the round trip', async () => {
    const auth = await client()
    const authorize = await loginAndComeBack(auth)
    const params = Object.fromEntries(authorize.searchParams)
    expect(authorize.origin + authorize.pathname).toBe(`${ISSUER}/authorize`)
    expect(params).toMatchObject({
      client_id: 'spa',
      redirect_uri: REDIRECT,
      response_type: 'code',
      scope: 'openid offline_access',
      code_challenge_method: 'S256',
      resource: 'https://api.example.com',
    })
    expect(params.state).toMatch(/^[\w-]{32,}$/)
    expect(params.nonce).toMatch(/^[\w-]{32,}$/)
    expect(params.code_challenge).toMatch(/^[\w-]{43}$/)
    // What sessionStorage keeps: the verifier, which never went in the URL.
    const kept = JSON.parse(page.storage.getItem('tokenrail:redirect:spa')!)
    expect(kept).toMatchObject({ state: params.state, nonce: params.nonce, redirectUri: REDIRECT, appState: { returnTo: '/todos' } })
    expect(authorize.href).not.toContain(kept.verifier)
    // Two logins make two different states, nonces and verifiers.
    await loginWithRedirect(auth, { redirectUri: REDIRECT })
    expect(new URL(page.assigned.at(-1)!).searchParams.get('state')).not.toBe(params.state)
  })

  it('refuses a client made without the oauth2 options', async () => {
    const plain = createAuthClient({ baseURL: ISSUER })
    clients.push(plain)
    await expect(loginWithRedirect(plain, { redirectUri: REDIRECT })).rejects.toThrow(/oauth2\(\) or discover\(\)/)
  })

  it('works with oauth2() given the endpoints instead of discovery', async () => {
    const auth = createAuthClient({ baseURL: ISSUER, ...oauth2({ clientId: 'spa', authorizationEndpoint: '/authorize', tokenEndpoint: '/token' }) })
    clients.push(auth)
    await loginAndComeBack(auth)
    await handleRedirectCallback(auth)
    expect(auth.getState().status).toBe('authenticated')
  })
})

describe('handleRedirectCallback', () => {
  it('exchanges the code with the verifier, adopts the tokens as a login, cleans the address bar and returns the appState', async () => {
    const auth = await client()
    const logins = vi.fn()
    auth.on('login', logins)
    await loginAndComeBack(auth)
    const { verifier } = JSON.parse(page.storage.getItem('tokenrail:redirect:spa')!)
    const result = await handleRedirectCallback(auth)
    expect(result).toEqual({ appState: { returnTo: '/todos' } })
    expect(Object.fromEntries(exchanges[0]!)).toMatchObject({
      grant_type: 'authorization_code',
      code: 'code-1',
      code_verifier: verifier,
      redirect_uri: REDIRECT,
      client_id: 'spa',
      resource: 'https://api.example.com',
    })
    // The user is the ID token's claims (the access token here carries no name).
    expect(auth.getState()).toMatchObject({ status: 'authenticated', user: { sub: 'alice', name: 'Alice', aud: 'spa' } })
    expect(logins).toHaveBeenCalledTimes(1)
    expect(page.replaced).toEqual([REDIRECT])
    expect(page.storage.getItem('tokenrail:redirect:spa')).toBeNull()
  })

  it('used twice (a reload, the back button) fails cleanly: no second exchange, and the session stays', async () => {
    const auth = await client()
    await loginAndComeBack(auth)
    const callback = page.href
    await handleRedirectCallback(auth)
    const token = auth.getState().accessToken
    page.href = callback
    const error = await handleRedirectCallback(auth).catch((reason: unknown) => reason)
    expect(isLoginError(error)).toBe(true)
    expect(error).toMatchObject({ error: 'no_login_in_progress' })
    expect(exchanges).toHaveLength(1)
    expect(auth.getState()).toMatchObject({ status: 'authenticated', accessToken: token })
  })

  it('an error answer (access_denied) is a LoginError with the server’s error and description, and nothing is exchanged', async () => {
    const auth = await client()
    await loginAndComeBack(auth, (authorize) => ({
      error: 'access_denied',
      error_description: 'The user said no',
      state: authorize.searchParams.get('state')!,
      iss: ISSUER,
    }))
    const error = await handleRedirectCallback(auth).catch((reason: unknown) => reason)
    expect(error).toMatchObject({ name: 'LoginError', error: 'access_denied', message: expect.stringContaining('The user said no') })
    expect(exchanges).toEqual([])
    expect(auth.getState().status).toBe('unauthenticated')
    expect(page.replaced).toEqual([REDIRECT])
  })

  it.each([
    ['a tampered state', (authorize: URL) => ({ code: 'c', state: `${authorize.searchParams.get('state')}x`, iss: ISSUER })],
    ['another issuer (RFC 9207 mix-up)', (authorize: URL) => ({ code: 'c', state: authorize.searchParams.get('state')!, iss: 'https://evil.example.org' })],
    ['no iss where the server says it sends one', (authorize: URL) => ({ code: 'c', state: authorize.searchParams.get('state')! })],
  ])('%s is refused before any exchange, with a clear LoginError', async (_, answer) => {
    const auth = await client()
    await loginAndComeBack(auth, answer)
    const error = await handleRedirectCallback(auth).catch((reason: unknown) => reason)
    expect(error).toMatchObject({ name: 'LoginError', error: 'invalid_response' })
    expect((error as Error).message).toMatch(/^The authorization response was refused: /)
    expect(exchanges).toEqual([])
  })

  it.each([
    ['a nonce of another login', () => ({ nonce: 'replayed' })],
    ['another audience', (nonce: string | undefined) => ({ nonce, aud: 'another-client' })],
    ['another issuer', (nonce: string | undefined) => ({ nonce, iss: 'https://evil.example.org' })],
    ['an expired ID token', (nonce: string | undefined) => ({ nonce, exp: Math.floor(Date.now() / 1000) - 3600 })],
  ])('an ID token with %s is refused, and nothing is adopted', async (_, claims) => {
    idTokenClaims = claims
    const auth = await client()
    await loginAndComeBack(auth)
    await expect(handleRedirectCallback(auth)).rejects.toMatchObject({ name: 'LoginError', error: 'invalid_response' })
    expect(auth.getState().status).toBe('unauthenticated')
  })

  it('a refused ID token leaves no token or code in the error: no cause holding the answer, nothing in its inspection', async () => {
    idTokenClaims = () => ({ nonce: 'replayed' })
    const auth = await client()
    await loginAndComeBack(auth)
    const error = (await handleRedirectCallback(auth).catch((reason: unknown) => reason)) as Error
    expect(error).toMatchObject({ name: 'LoginError', error: 'invalid_response' })
    expect(error.cause).toBeUndefined()
    const seen = inspect(error, { depth: 10, showHidden: true })
    expect(seen).not.toMatch(/code-1|rt1|eyJ/)
  })

  it('a code exchange that never answers fails as a NetworkError timeout, within the client’s timeout', async () => {
    server.use(http.post(`${ISSUER}/token`, () => new Promise<never>(() => undefined)))
    const auth = createAuthClient({ ...(await discover(ISSUER, { clientId: 'spa' })), timeout: 50 })
    clients.push(auth)
    await loginAndComeBack(auth)
    await expect(handleRedirectCallback(auth)).rejects.toMatchObject({ name: 'NetworkError', code: 'timeout' })
    expect(auth.getState().status).toBe('unauthenticated')
  })

  it('a refused exchange (invalid_grant) is a LoginError with the status and the server’s error', async () => {
    server.use(http.post(`${ISSUER}/token`, () => HttpResponse.json({ error: 'invalid_grant', error_description: 'code expired' }, { status: 400 })))
    const auth = await client()
    await loginAndComeBack(auth)
    await expect(handleRedirectCallback(auth)).rejects.toMatchObject({ name: 'LoginError', error: 'invalid_grant', status: 400 })
  })
})
