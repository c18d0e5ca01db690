import { discover, oauth2 } from '@tokenrail/core/oauth2'
import { http, HttpResponse } from 'msw'
import { setupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { createAuthClient, webStorage, type AuthClient, type AuthError } from '../src'
import { fakeWebStorage } from './fakeStorage'
import { delivered } from './mockApi'
import { unsignedJwt } from './unsignedJwt'

// An RFC 6749 authorization server as the preset sees it: a token endpoint that takes forms and answers OAuth
// errors, a revocation endpoint (RFC 7009), and discovery metadata.
const ISSUER = 'https://login.example.com'
const API = 'https://api.example.com'
const forms: { path: string; fields: Record<string, string | string[]> }[] = []
let tokenAnswer: () => Response
let serial = 0
const tokens = () =>
  HttpResponse.json({ access_token: unsignedJwt({ sub: 'alice', n: ++serial }), refresh_token: `rt${serial}`, expires_in: 300, token_type: 'Bearer' })

/** A form's fields, repeated ones (resource) as a list. */
function fieldsOf(text: string) {
  const fields: Record<string, string | string[]> = {}
  for (const [name, value] of new URLSearchParams(text)) {
    const seen = fields[name]
    fields[name] = seen === undefined ? value : [seen, value].flat()
  }
  return fields
}
const metadata = { issuer: ISSUER, token_endpoint: `${ISSUER}/oauth/token`, revocation_endpoint: `${ISSUER}/oauth/revoke` }
const server = setupServer(
  http.post(`${ISSUER}/oauth/:endpoint`, async ({ request }) => {
    expect(request.headers.get('content-type')).toMatch(/^application\/x-www-form-urlencoded/)
    const path = new URL(request.url).pathname
    forms.push({ path, fields: fieldsOf(await request.text()) })
    return path.endsWith('/revoke') ? new HttpResponse(null, { status: 200 }) : tokenAnswer()
  }),
  http.get(`${ISSUER}/.well-known/openid-configuration`, () => HttpResponse.json(metadata)),
)
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
afterEach(() => {
  server.resetHandlers()
  forms.length = 0
  clients.forEach((client) => client.destroy())
  clients = []
  tokenAnswer = tokens
})
afterAll(() => server.close())
tokenAnswer = tokens

let clients: AuthClient[] = []
function client(preset: ReturnType<typeof oauth2>) {
  const auth = createAuthClient({ baseURL: ISSUER, allowedOrigins: [API], ...preset })
  clients.push(auth)
  return auth
}
const preset = (extra: Partial<Parameters<typeof oauth2>[0]> = {}) =>
  oauth2({ clientId: 'spa', tokenEndpoint: '/oauth/token', revocationEndpoint: '/oauth/revoke', ...extra })
const loggedIn = (auth: AuthClient) => auth.setTokens({ access_token: unsignedJwt({ sub: 'alice' }), refresh_token: 'rt0', expires_in: 300 })

describe('oauth2(): refresh as RFC 6749 §6', () => {
  it('posts a form with grant_type, the refresh token and client_id; scope, resource and extra parameters when configured', async () => {
    const auth = client(preset({ scope: 'openid offline_access', resource: ['https://api.example.com', 'https://files.example.com'], extraParams: { audience: 'api' } }))
    loggedIn(auth)
    await auth.refresh()
    expect(forms).toEqual([
      {
        path: '/oauth/token',
        fields: {
          audience: 'api',
          client_id: 'spa',
          grant_type: 'refresh_token',
          refresh_token: 'rt0',
          scope: 'openid offline_access',
          resource: ['https://api.example.com', 'https://files.example.com'],
        },
      },
    ])
    // Rotation: the next refresh spends the refresh token the last one returned.
    await auth.refresh()
    expect(forms[1]?.fields.refresh_token).toBe('rt1')
  })

  it('sends nothing it was not given: no scope, no resource', async () => {
    const auth = client(preset())
    loggedIn(auth)
    await auth.refresh()
    expect(forms[0]?.fields).toEqual({ client_id: 'spa', grant_type: 'refresh_token', refresh_token: 'rt0' })
  })

  it('reads the OAuth token response, expires_in included', async () => {
    const auth = client(preset())
    loggedIn(auth)
    await auth.refresh()
    expect(auth.getState()).toMatchObject({ status: 'authenticated', user: { sub: 'alice', n: serial } })
    expect(auth.getState().expiresAt! - Date.now()).toBeGreaterThan(290_000)
  })
})

describe('oauth2(): the user is the ID token’s claims when there is one', () => {
  it('from the tokens handed over, kept through a refresh that brings no new ID token, replaced by one that does', async () => {
    const auth = client(preset())
    auth.setTokens({ access_token: unsignedJwt({ sub: 'alice' }), refresh_token: 'rt0', id_token: unsignedJwt({ sub: 'alice', name: 'Alice' }) })
    expect(auth.getState().user).toEqual({ sub: 'alice', name: 'Alice' })
    await auth.refresh()
    expect(auth.getState().user).toEqual({ sub: 'alice', name: 'Alice' })
    tokenAnswer = () => HttpResponse.json({ access_token: unsignedJwt({ sub: 'alice', n: 9 }), refresh_token: 'rt9', id_token: unsignedJwt({ sub: 'alice', name: 'Alice B.' }) })
    await auth.refresh()
    expect(auth.getState().user).toEqual({ sub: 'alice', name: 'Alice B.' })
  })

  it('an ID token a refresh brings for another user, issuer or audience is dropped: the user stays, the rotated tokens are kept', async () => {
    const auth = client(preset())
    auth.setTokens({ access_token: unsignedJwt({ sub: 'alice' }), refresh_token: 'rt0', id_token: unsignedJwt({ iss: ISSUER, sub: 'alice', aud: 'spa', name: 'Alice' }) })
    for (const other of [{ sub: 'mallory' }, { iss: 'https://evil.example.org' }, { aud: 'another-client' }]) {
      const access = unsignedJwt({ sub: 'alice', n: Math.random() })
      tokenAnswer = () => HttpResponse.json({ access_token: access, refresh_token: 'rt-next', id_token: unsignedJwt({ iss: ISSUER, sub: 'alice', aud: 'spa', name: 'Mallory', ...other }) })
      await auth.refresh()
      expect(auth.getState()).toMatchObject({ accessToken: access, user: { sub: 'alice', name: 'Alice' } })
    }
    expect(forms.at(-1)?.fields.refresh_token).toBe('rt-next')
  })

  it('a malformed ID token is refused like a malformed access token', () => {
    const auth = client(preset())
    expect(() => auth.setTokens({ access_token: unsignedJwt({ sub: 'alice' }), id_token: 'not\na token' })).toThrow(/ID token/)
    expect(auth.getState().status).toBe('unauthenticated')
  })
})

describe('oauth2(): the OAuth error rules', () => {
  it('only invalid_grant ends the session', async () => {
    const auth = client(preset())
    loggedIn(auth)
    tokenAnswer = () => HttpResponse.json({ error: 'invalid_grant', error_description: 'grant request is invalid' }, { status: 400 })
    await expect(auth.refresh()).rejects.toMatchObject({ name: 'SessionExpiredError', error: 'invalid_grant', status: 400 })
    expect(auth.getState().status).toBe('unauthenticated')
  })

  it.each([
    ['invalid_client', 401],
    ['invalid_request', 400],
    ['unsupported_grant_type', 400],
    ['invalid_scope', 400],
  ])('%s is a configuration error: the session is kept, and the error is reported', async (code, status) => {
    const auth = client(preset())
    const reported: AuthError[] = []
    auth.on('error', (error) => void reported.push(error))
    loggedIn(auth)
    tokenAnswer = () => HttpResponse.json({ error: code }, { status })
    const error = await auth.refresh().catch((reason: unknown) => reason)
    expect(error).toMatchObject({ name: 'AuthError', code: 'configuration', error: code, status })
    expect(auth.getState().status).toBe('authenticated')
    expect(reported).toEqual([error])
  })
})

describe('oauth2(): logout revokes by RFC 7009', () => {
  it('the refresh token, and the access token too when asked', async () => {
    const auth = client(preset({ revokeAccessToken: true }))
    loggedIn(auth)
    const token = auth.getState().accessToken
    await auth.logout()
    expect(forms).toEqual([
      { path: '/oauth/revoke', fields: { token: 'rt0', token_type_hint: 'refresh_token', client_id: 'spa' } },
      { path: '/oauth/revoke', fields: { token, token_type_hint: 'access_token', client_id: 'spa' } },
    ])
  })

  it('by default the refresh token only; the access token when there is no refresh token', async () => {
    const auth = client(preset())
    loggedIn(auth)
    await auth.logout()
    expect(forms.map((form) => form.fields.token_type_hint)).toEqual(['refresh_token'])
    auth.setTokens({ access_token: unsignedJwt({ sub: 'alice' }) })
    await auth.logout()
    expect(forms.map((form) => form.fields.token_type_hint)).toEqual(['refresh_token', 'access_token'])
  })

  it('with no revocation endpoint, logout ends the session here only', async () => {
    const auth = client(oauth2({ clientId: 'spa', tokenEndpoint: '/oauth/token' }))
    loggedIn(auth)
    await auth.logout()
    expect(forms).toEqual([])
    expect(auth.getState().status).toBe('unauthenticated')
  })

  it('a revocation the server refused is reported as logout_failed', async () => {
    server.use(http.post(`${ISSUER}/oauth/revoke`, () => HttpResponse.json({ error: 'unsupported_token_type' }, { status: 400 })))
    const auth = client(preset())
    const reported: AuthError[] = []
    auth.on('error', (error) => void reported.push(error))
    loggedIn(auth)
    await auth.logout()
    expect(reported).toEqual([expect.objectContaining({ code: 'logout_failed', error: 'unsupported_token_type' })])
  })
})

describe('oauth2(): the password grant, only when asked for', () => {
  it('is off by default: login() fails with a configuration error and sends nothing', async () => {
    const auth = client(preset())
    const error = (await auth.login({ username: 'alice', password: 'p' }).catch((reason: unknown) => reason)) as Error
    expect(error).toMatchObject({ code: 'configuration' })
    expect((error.cause as Error).message).toMatch(/password grant is off/)
    expect(forms).toEqual([])
  })

  it('when on, posts grant_type=password with the credentials, client_id and scope', async () => {
    const auth = client(preset({ passwordGrant: true, scope: 'openid' }))
    await auth.login({ username: 'alice', password: 'p' })
    expect(forms[0]?.fields).toEqual({ client_id: 'spa', grant_type: 'password', username: 'alice', password: 'p', scope: 'openid' })
    expect(auth.getState().status).toBe('authenticated')
  })
})

describe('oauth2(): set-up', () => {
  it('needs a clientId', () => {
    expect(() => oauth2({} as never)).toThrow(/clientId/)
  })

  it('refuses absolute plain-http endpoints, but for loopback ones with the switch', () => {
    expect(() => oauth2({ clientId: 'spa', tokenEndpoint: 'http://login.example.com/token' })).toThrow(/token endpoint .* is not https/)
    expect(() => oauth2({ clientId: 'spa', tokenEndpoint: 'http://login.example.com/token', allowInsecureRequests: true })).toThrow(/not https/)
    expect(() => oauth2({ clientId: 'spa', revocationEndpoint: 'http://127.0.0.1:4000/revoke' })).toThrow(/revocation endpoint .* is not https/)
    expect(oauth2({ clientId: 'spa', tokenEndpoint: 'http://127.0.0.1:4000/token', allowInsecureRequests: true }).endpoints.refresh).toBe('http://127.0.0.1:4000/token')
  })

  it('keeps two clients of one issuer apart (an admin app and a shop): their stored records, tabs and sessions are not shared', async () => {
    const shared = webStorage(fakeWebStorage())
    const [admin, shop] = ['admin', 'shop'].map((clientId) => {
      const auth = createAuthClient({ baseURL: ISSUER, storage: shared, crossTab: true, ...preset({ clientId }) })
      clients.push(auth)
      return auth
    })
    await Promise.all([admin!.ready, shop!.ready])
    loggedIn(admin!)
    await delivered(`tokenrail:${ISSUER}/#admin`)
    expect(shop!.getState().status).toBe('unauthenticated')
    const reloaded = createAuthClient({ baseURL: ISSUER, storage: shared, ...preset({ clientId: 'shop' }) })
    clients.push(reloaded)
    await reloaded.ready
    expect(reloaded.getState().status).toBe('unauthenticated')
    const adminAgain = createAuthClient({ baseURL: ISSUER, storage: shared, ...preset({ clientId: 'admin' }) })
    clients.push(adminAgain)
    await adminAgain.ready
    expect(adminAgain.getState().status).toBe('authenticated')
  })
})

describe('oauth2(): a session without a refresh token (no offline_access)', () => {
  it('lasts as long as its access token: a refresh ends it with a SessionExpiredError and sends nothing', async () => {
    const auth = client(preset())
    auth.setTokens({ access_token: unsignedJwt({ sub: 'alice' }), expires_in: 300 })
    await expect(auth.refresh()).rejects.toMatchObject({ name: 'SessionExpiredError' })
    expect(forms).toEqual([])
    expect(auth.getState().status).toBe('unauthenticated')
  })
})

describe('discover(): RFC 8414 / OpenID discovery', () => {
  it('reads the metadata and returns the same options, with the issuer as baseURL', async () => {
    const options = await discover(ISSUER, { clientId: 'spa' })
    expect(options.baseURL).toBe(ISSUER)
    expect(options.endpoints).toEqual({ login: metadata.token_endpoint, refresh: metadata.token_endpoint, logout: metadata.revocation_endpoint })
    const auth = createAuthClient({ ...options, allowedOrigins: [API] })
    clients.push(auth)
    loggedIn(auth)
    await auth.refresh()
    await auth.logout()
    expect(forms.map((form) => form.path)).toEqual(['/oauth/token', '/oauth/revoke'])
  })

  it('falls back to RFC 8414’s well-known path, inserted before the issuer’s path', async () => {
    const issuer = 'https://login.example.com/tenant'
    server.use(
      http.get(`${ISSUER}/tenant/.well-known/openid-configuration`, () => new HttpResponse(null, { status: 404 })),
      http.get(`${ISSUER}/.well-known/oauth-authorization-server/tenant`, () => HttpResponse.json({ ...metadata, issuer })),
    )
    expect((await discover(issuer, { clientId: 'spa' })).baseURL).toBe(issuer)
  })

  it('refuses metadata that names another issuer (a mix-up, or a server answering for another)', async () => {
    server.use(http.get(`${ISSUER}/.well-known/openid-configuration`, () => HttpResponse.json({ ...metadata, issuer: 'https://evil.example.org' })))
    await expect(discover(ISSUER, { clientId: 'spa' })).rejects.toMatchObject({ name: 'AuthError', code: 'configuration' })
  })

  it('refuses metadata without a token endpoint, and a server with no metadata', async () => {
    server.use(http.get(`${ISSUER}/.well-known/openid-configuration`, () => HttpResponse.json({ issuer: ISSUER })))
    await expect(discover(ISSUER, { clientId: 'spa' })).rejects.toMatchObject({ code: 'configuration' })
    server.use(
      http.get(`${ISSUER}/.well-known/openid-configuration`, () => new HttpResponse(null, { status: 404 })),
      http.get(`${ISSUER}/.well-known/oauth-authorization-server`, () => new HttpResponse(null, { status: 404 })),
    )
    await expect(discover(ISSUER, { clientId: 'spa' })).rejects.toMatchObject({ code: 'configuration' })
  })

  it.each([
    ['a plain-http issuer', 'http://login.example.com', {}],
    ['a plain-http issuer off loopback, even with the switch', 'http://login.example.com', { allowInsecureRequests: true }],
    ['a plain-http loopback issuer without the switch', 'http://127.0.0.1:4000', {}],
  ])('refuses %s before any request', async (_, issuer, switches) => {
    await expect(discover(issuer, { clientId: 'spa', ...switches })).rejects.toThrow(TypeError)
  })

  it('takes a plain-http loopback issuer with the switch (tests, a local example), and its http endpoints', async () => {
    const local = 'http://127.0.0.1:4000'
    server.use(
      http.get(`${local}/.well-known/openid-configuration`, () =>
        HttpResponse.json({ issuer: local, token_endpoint: `${local}/token`, revocation_endpoint: `${local}/token/revocation` }),
      ),
    )
    const options = await discover(local, { clientId: 'spa', allowInsecureRequests: true })
    expect(options.endpoints.refresh).toBe(`${local}/token`)
  })

  it('a server that cannot be reached is a NetworkError', async () => {
    server.use(http.get(`${ISSUER}/.well-known/openid-configuration`, () => HttpResponse.error()))
    await expect(discover(ISSUER, { clientId: 'spa' })).rejects.toMatchObject({ name: 'NetworkError', code: 'network' })
  })

  it('refuses plain-http endpoints in https metadata', async () => {
    server.use(http.get(`${ISSUER}/.well-known/openid-configuration`, () => HttpResponse.json({ ...metadata, token_endpoint: 'http://login.example.com/token' })))
    await expect(discover(ISSUER, { clientId: 'spa' })).rejects.toThrow(/not https/)
  })
})
