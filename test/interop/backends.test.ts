import { decodeJwt } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKEND_NAMES, BACKENDS } from './backends'
import { startDjango } from './backends/django'
import { startLaravel } from './backends/laravel'
import { startNest } from './backends/nest'
import { startOidcProvider } from './backends/oidcProvider'
import { startSupabase } from './backends/supabase'
import type { Backend, RawTokens } from './harness/backend'

// The servers themselves, over raw fetch: if one of these fails, the interop table would only be a table of fails.

/** Starts a backend for the enclosing describe and stops it (by pid) after it, even when a test failed. */
function useBackend<B extends Backend>(start: () => Promise<B>) {
  const handle = {} as { backend: B }
  beforeAll(async () => void (handle.backend = await start()))
  afterAll(() => handle.backend?.stop())
  return handle
}

const credentialOf = (backend: Backend, tokens: RawTokens) =>
  backend.refreshWith === 'accessToken' ? tokens.accessToken : tokens.refreshToken!

async function login(backend: Backend) {
  return backend.tokensOf(await backend.rawLogin())
}

describe.each(BACKEND_NAMES)('%s, as documented', (name) => {
  const it_ = useBackend(BACKENDS[name])

  it('logs in; the access token opens the protected resource, no token gets 401', async () => {
    const { backend } = it_
    const tokens = await login(backend)
    expect(tokens.accessToken.split('.')).toHaveLength(3)
    if (backend.refreshWith === 'refreshToken') expect(tokens.refreshToken).toEqual(expect.any(String))
    expect((await backend.rawResource(tokens.accessToken)).status).toBe(200)
    expect((await backend.rawResource()).status).toBe(401)
  })

  it('refuses the access token with 401 once the server clock passes its lifetime, with no wait', async () => {
    const { backend } = it_
    const tokens = await login(backend)
    await backend.advance(backend.accessTokenTtl - 5)
    expect((await backend.rawResource(tokens.accessToken)).status).toBe(200)
    await backend.advance(10)
    expect((await backend.rawResource(tokens.accessToken)).status).toBe(401)
  })

  it('refreshes an expired session into a new pair, twice, and then refuses the first credential', async () => {
    const { backend } = it_
    const tokens = await login(backend)
    const before = await backend.stats()
    let current = tokens
    for (const _ of [1, 2]) {
      await backend.advance(backend.accessTokenTtl + 1)
      expect((await backend.rawResource(current.accessToken)).status).toBe(401)
      const refreshed = await backend.rawRefresh(credentialOf(backend, current))
      expect(refreshed.status, JSON.stringify(refreshed.body)).toBe(200)
      const next = backend.tokensOf(refreshed.body)
      expect(next.accessToken).not.toBe(current.accessToken)
      if (backend.refreshWith === 'refreshToken') expect(next.refreshToken).not.toBe(current.refreshToken)
      expect((await backend.rawResource(next.accessToken)).status).toBe(200)
      current = next
    }
    // GoTrue still takes a spent token within its reuse interval, and its last spent one always (see its specifics).
    await backend.advance(backend.reuseIntervalSeconds + 1)
    expect(await backend.acceptsRefresh(credentialOf(backend, tokens))).toBe(false)
    const after = await backend.stats()
    expect(after.refreshesAccepted - before.refreshesAccepted).toBe(2)
    expect(after.refreshesRefused - before.refreshesRefused).toBe(1)
  })

  it('revokes on logout: the server refuses the refresh credential afterwards', async () => {
    const { backend } = it_
    const tokens = await login(backend)
    const loggedOut = await backend.rawLogout(tokens)
    expect(loggedOut.status, JSON.stringify(loggedOut.body)).toBeLessThan(300)
    expect(await backend.acceptsRefresh(credentialOf(backend, tokens))).toBe(false)
  })

  it('moves its clock only forward, on request', async () => {
    const { backend } = it_
    const before = await backend.now()
    await backend.advance(3600)
    expect((await backend.now()) - before).toBeGreaterThanOrEqual(3600_000)
    await expect(backend.advance(-1)).rejects.toThrow()
  })
})

describe('oidc-provider specifics', () => {
  const it_ = useBackend(startOidcProvider)

  it('issues a JWT access token for the API (RFC 8707) with a refresh token, from the code + PKCE flow', async () => {
    const { backend } = it_
    const body = await backend.rawLogin()
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 60, scope: 'api:read', refresh_token: expect.any(String), id_token: expect.any(String) })
    const claims = decodeJwt(body.access_token as string)
    expect(claims).toMatchObject({ iss: backend.oauth!.issuer, aud: backend.oauth!.resource, client_id: 'spa', scope: 'api:read' })
    expect(claims.exp! - claims.iat!).toBe(60)
  })

  it('answers 401 invalid_client to a refresh with an unknown client_id, and keeps the grant', async () => {
    const { backend } = it_
    const tokens = await login(backend)
    const refused = await backend.rawRefresh(tokens.refreshToken!, { clientId: 'not-registered' })
    expect(refused.status).toBe(401)
    expect(refused.body).toMatchObject({ error: 'invalid_client' })
    expect((await backend.rawRefresh(tokens.refreshToken!)).status).toBe(200)
  })

  it('answers 400 invalid_grant to a reused refresh token and revokes the whole grant', async () => {
    const { backend } = it_
    const tokens = await login(backend)
    const next = backend.tokensOf((await backend.rawRefresh(tokens.refreshToken!)).body)
    const reused = await backend.rawRefresh(tokens.refreshToken!)
    expect(reused.status).toBe(400)
    expect(reused.body).toMatchObject({ error: 'invalid_grant' })
    expect(await backend.acceptsRefresh(next.refreshToken!)).toBe(false)
  })

  it('revokes by RFC 7009 (200 with an empty body), after which the refresh token is invalid_grant', async () => {
    const { backend } = it_
    const tokens = await login(backend)
    const revoked = await backend.rawLogout(tokens)
    expect(revoked).toMatchObject({ status: 200, body: null })
    expect((await backend.rawRefresh(tokens.refreshToken!)).body).toMatchObject({ error: 'invalid_grant' })
  })

  it('without a resource parameter, a refresh yields an opaque token the API refuses (useGrantedResource is off)', async () => {
    const { backend } = it_
    const tokens = await login(backend)
    const oauth = backend.oauth!
    const response = await fetch(oauth.tokenEndpoint, {
      method: 'POST',
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: tokens.refreshToken!, client_id: oauth.clientId }),
    })
    const opaque = backend.tokensOf(await response.json())
    expect(opaque.accessToken).not.toContain('.')
    expect((await backend.rawResource(opaque.accessToken)).status).toBe(401)
  })
})

describe('django-simplejwt specifics', () => {
  const it_ = useBackend(startDjango)

  it('answers the documented error bodies', async () => {
    const { backend } = it_
    const wrong = await fetch(backend.endpoints.login!, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'alice', password: 'wrong' }),
    })
    expect(wrong.status).toBe(401)
    expect(await wrong.json()).toEqual({ detail: 'No active account found with the given credentials' })
    const tokens = await login(backend)
    await backend.rawRefresh(tokens.refreshToken!)
    const blacklisted = await backend.rawRefresh(tokens.refreshToken!)
    expect(blacklisted).toMatchObject({ status: 401, body: { detail: 'Token is blacklisted', code: 'token_not_valid' } })
    await backend.advance(61)
    const expired = await backend.rawResource(tokens.accessToken)
    expect(expired.status).toBe(401)
    expect(expired.body).toMatchObject({ code: 'token_not_valid', messages: [{ token_class: 'AccessToken', message: 'Token is invalid or expired' }] })
  })

  it('copies the refresh token\'s iat into a refreshed access token (5.2.2), so exp - iat overstates its lifetime', async () => {
    const { backend } = it_
    const tokens = await login(backend)
    const loginIat = decodeJwt(tokens.refreshToken!).iat!
    await backend.advance(600)
    const refreshed = backend.tokensOf((await backend.rawRefresh(tokens.refreshToken!)).body)
    const claims = decodeJwt(refreshed.accessToken)
    expect(claims.iat).toBe(loginIat)
    expect(claims.exp! - claims.iat!).toBeGreaterThanOrEqual(660)
    expect((await backend.rawResource(refreshed.accessToken)).status).toBe(200)
  })

  it('stamps its answers with the moved clock (the Date header)', async () => {
    const { backend } = it_
    await backend.advance(7200)
    const { headers } = await backend.rawResource()
    expect(Math.abs(Date.parse(headers.get('date')!) - (await backend.now()))).toBeLessThan(2000)
  })
})

describe('laravel-jwt-auth specifics', () => {
  const it_ = useBackend(startLaravel)

  it('answers the quick start\'s bodies and refreshes an expired token, keeping its first iat', async () => {
    const { backend } = it_
    const body = await backend.rawLogin()
    expect(body).toEqual({ access_token: expect.any(String), token_type: 'bearer', expires_in: 60 })
    const first = decodeJwt(body.access_token as string)
    await backend.advance(3600)
    const refreshed = await backend.rawRefresh(body.access_token as string)
    expect(refreshed.status).toBe(200)
    const claims = decodeJwt(backend.tokensOf(refreshed.body).accessToken)
    expect(claims.iat).toBe(first.iat)
    expect(claims.exp! - claims.iat!).toBeGreaterThan(3600)
    expect(await backend.rawRefresh(body.access_token as string)).toMatchObject({ status: 401, body: { message: 'The token has been blacklisted' } })
  })

  it('cannot log out an expired token (auth:api), which stays refreshable', async () => {
    const { backend } = it_
    const tokens = await login(backend)
    await backend.advance(61)
    expect(await backend.rawLogout(tokens)).toMatchObject({ status: 401, body: { message: 'Unauthenticated.' } })
    expect(await backend.acceptsRefresh(tokens.accessToken)).toBe(true)
  })

  it('refuses a refresh past refresh_ttl (two weeks from the first iat)', async () => {
    const { backend } = it_
    const tokens = await login(backend)
    await backend.advance(20160 * 60 + 1)
    expect(await backend.rawRefresh(tokens.accessToken)).toMatchObject({ status: 401, body: { message: 'Token has expired and can no longer be refreshed' } })
  })
})

describe('nestjs-jwt specifics', () => {
  const it_ = useBackend(startNest)

  it('refuses a spent refresh token with Nest\'s UnauthorizedException body', async () => {
    const { backend } = it_
    const tokens = await login(backend)
    await backend.advance(2)
    expect((await backend.rawRefresh(tokens.refreshToken!)).status).toBe(200)
    expect(await backend.rawRefresh(tokens.refreshToken!)).toMatchObject({ status: 401, body: { message: 'Unauthorized', statusCode: 401 } })
  })
})

describe('supabase-gotrue specifics', () => {
  const it_ = useBackend(startSupabase)

  it('needs the apikey header on every call', async () => {
    const { backend } = it_
    const response = await fetch(backend.endpoints.login!, { method: 'POST', body: JSON.stringify(backend.credentials) })
    expect(response.status).toBe(401)
    expect(await response.json()).toMatchObject({ message: 'No API key found in request' })
  })

  it('answers a GoTrue session, and 400 invalid_credentials in either error shape', async () => {
    const { backend } = it_
    const body = await backend.rawLogin()
    expect(body).toMatchObject({ token_type: 'bearer', expires_in: 3600, expires_at: expect.any(Number), refresh_token: expect.stringMatching(/^[a-z0-9]{12}$/), user: { email: 'alice@example.com' } })
    const wrong = (headers: Record<string, string>) =>
      fetch(backend.endpoints.login!, { method: 'POST', headers: { ...backend.headers, ...headers }, body: JSON.stringify({ email: 'alice@example.com', password: 'x' }) })
    expect(await (await wrong({})).json()).toEqual({ code: 400, error_code: 'invalid_credentials', msg: 'Invalid login credentials' })
    expect(await (await wrong({ 'x-supabase-api-version': '2024-01-01' })).json()).toEqual({ code: 'invalid_credentials', message: 'Invalid login credentials' })
  })

  it('accepts a rotated refresh token within the reuse interval; past it, refuses it and revokes the family', async () => {
    const { backend } = it_
    const tokens = await login(backend)
    const second = backend.tokensOf((await backend.rawRefresh(tokens.refreshToken!)).body)
    const third = backend.tokensOf((await backend.rawRefresh(second.refreshToken!)).body)
    // The first token is neither active nor the active one's parent, but still inside the 10 s window.
    expect((await backend.rawRefresh(tokens.refreshToken!)).status).toBe(200)
    await backend.advance(11)
    const reused = await backend.rawRefresh(second.refreshToken!)
    expect(reused).toMatchObject({ status: 400, body: { error_code: 'refresh_token_already_used', msg: 'Invalid Refresh Token: Already Used' } })
    expect(await backend.acceptsRefresh(third.refreshToken!)).toBe(false)
  })

  it('logs out with 204; the refresh token is then not found, and /auth/v1/user says the session is gone', async () => {
    const { backend } = it_
    const tokens = await login(backend)
    expect((await backend.rawLogout(tokens)).status).toBe(204)
    expect((await backend.rawRefresh(tokens.refreshToken!)).body).toMatchObject({ error_code: 'refresh_token_not_found' })
    const user = await fetch(backend.userURL, { headers: { ...backend.headers, authorization: `Bearer ${tokens.accessToken}` } })
    expect(user.status).toBe(403)
    expect(await user.json()).toMatchObject({ error_code: 'session_not_found' })
    // PostgREST does not look the session up: the access token works until it expires.
    expect((await backend.rawResource(tokens.accessToken)).status).toBe(200)
  })

  it('answers 403 bad_jwt on /auth/v1/user and 401 PGRST303 on PostgREST for an expired token', async () => {
    const { backend } = it_
    const tokens = await login(backend)
    await backend.advance(3601)
    const user = await fetch(backend.userURL, { headers: { ...backend.headers, authorization: `Bearer ${tokens.accessToken}` } })
    expect(user.status).toBe(403)
    expect(await user.json()).toMatchObject({ error_code: 'bad_jwt' })
    expect(await backend.rawResource(tokens.accessToken)).toMatchObject({ status: 401, body: { code: 'PGRST303', message: 'JWT expired' } })
  })
})
