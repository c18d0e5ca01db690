import { decodeJwt } from 'jose'
import { http } from 'msw'
import { describe, expect, it } from 'vitest'
import { CSRF_HEADER, CSRF_HEADER_VALUE, type MockAuthServer } from '@tokenrail/mock-server'
import { getWithToken, post, useMsw } from './helpers'

const msw = useMsw()
const csrf = { [CSRF_HEADER]: CSRF_HEADER_VALUE }

// msw keeps the cookies its handlers set and sends them back on matching requests (path, expiry), like a
// browser's cookie jar; a fresh host per test keeps one test's cookie out of the next.
let hostNumber = 0
function startCookieServer(options: { baseURL?: string; refreshCookieName?: string; reuseGraceSeconds?: number } = {}) {
  hostNumber++
  return msw.start({ baseURL: `https://api-${hostNumber}.example.com`, refreshToken: 'cookie', ...options })
}

async function cookieLogin(mock: MockAuthServer) {
  const response = await post(mock.endpoints.login, { username: 'demo', password: 'demo-password' })
  expect(response.status).toBe(200)
  return { response, body: (await response.json()) as Record<string, unknown> }
}

function refreshCookieValue(response: Response, name = 'tokenrail_rt'): string | undefined {
  const cookie = response.headers.getSetCookie().find((line) => line.startsWith(`${name}=`))
  return cookie?.slice(name.length + 1).split(';')[0]
}

describe("refreshToken: 'cookie'", () => {
  it('login sets an HttpOnly, Secure, SameSite=Strict cookie limited to the refresh path, and no token in the body', async () => {
    const mock = startCookieServer()
    const { response, body } = await cookieLogin(mock)

    const cookies = response.headers.getSetCookie()
    expect(cookies).toHaveLength(1)
    expect(cookies[0]).toMatch(/^tokenrail_rt=[A-Za-z0-9_-]{43}; HttpOnly; Secure; SameSite=Strict; Path=\/auth\/refresh; Max-Age=86400$/)
    expect(body).toEqual({ accessToken: expect.any(String), tokenType: 'Bearer', expiresIn: 300 })
    expect(JSON.stringify(body)).not.toContain(refreshCookieValue(response))
  })

  it('limits the cookie to the refresh path under a base path', async () => {
    const mock = startCookieServer({ baseURL: `https://api-base-${hostNumber}.example.com/v1/`, refreshCookieName: 'rt' })
    const { response } = await cookieLogin(mock)
    expect(response.headers.get('set-cookie')).toContain('; Path=/v1/auth/refresh;')
    expect(response.headers.get('set-cookie')).toMatch(/^rt=/)
  })

  it('refresh reads the cookie, needs the CSRF header, and rotates the cookie', async () => {
    const mock = startCookieServer()
    const { response: loginResponse, body } = await cookieLogin(mock)
    const firstToken = refreshCookieValue(loginResponse)

    const refused = await post(mock.endpoints.refresh, undefined)
    expect(refused.status).toBe(403)
    expect(await refused.json()).toMatchObject({ error: 'csrf' })
    expect(mock.stats.refreshes).toBe(0)

    mock.clock.advance(100)
    const response = await post(mock.endpoints.refresh, undefined, csrf)
    expect(response.status).toBe(200)
    const refreshed = (await response.json()) as Record<string, unknown>
    expect(refreshed).not.toHaveProperty('refreshToken')
    expect(decodeJwt(String(refreshed.accessToken)).sid).toBe(decodeJwt(String(body.accessToken)).sid)
    const secondToken = refreshCookieValue(response)
    expect(secondToken).toMatch(/^[A-Za-z0-9_-]{43}$/)
    expect(secondToken).not.toBe(firstToken)
    // The cookie's lifetime is what is left of the login's, never a fresh one.
    expect(response.headers.get('set-cookie')).toContain('; Max-Age=86300')
    expect(mock.stats.refreshes).toBe(1)
  })

  it('refuses a wrong CSRF header value', async () => {
    const mock = startCookieServer()
    await cookieLogin(mock)
    const response = await post(mock.endpoints.refresh, undefined, { [CSRF_HEADER]: 'true' })
    expect(response.status).toBe(403)
  })

  it('ignores a refresh token in the body', async () => {
    const mock = startCookieServer()
    const response = await post(mock.endpoints.refresh, { refreshToken: 'from-the-body' }, csrf)
    // The body is not read: with no cookie this is a request without a session.
    expect(response.status).toBe(204)
    expect(mock.stats.refreshes).toBe(0)
  })

  describe('a refresh that carries no refresh cookie (a logged-out page load)', () => {
    it('answers 204 with no body and no cookie: "no session", which no browser console shows as an error', async () => {
      const mock = startCookieServer()
      const response = await post(mock.endpoints.refresh, {}, csrf)
      expect(response.status).toBe(204)
      expect(await response.text()).toBe('')
      expect(response.headers.getSetCookie()).toEqual([])
      expect(response.headers.get('cache-control')).toBe('no-store')
      expect(mock.stats).toMatchObject({ refreshAttempts: 1, refreshes: 0, reuseDetected: 0, revoked: 0 })
    })

    it('answers 204 to an emptied cookie too (what a cleared cookie leaves behind)', async () => {
      const mock = startCookieServer()
      expect((await post(mock.endpoints.refresh, {}, { ...csrf, Cookie: 'tokenrail_rt=' })).status).toBe(204)
    })

    it('still needs the CSRF header: without it, 403 and nothing said about the session', async () => {
      const mock = startCookieServer()
      const response = await post(mock.endpoints.refresh, {})
      expect(response.status).toBe(403)
      expect(await response.json()).toMatchObject({ error: 'csrf' })
    })

    it('is no way around refusal: a cookie that is there but unknown still answers 400 invalid_grant and is cleared', async () => {
      const mock = startCookieServer()
      const response = await post(mock.endpoints.refresh, {}, { ...csrf, Cookie: 'tokenrail_rt=made-up-token' })
      expect(response.status).toBe(400)
      expect(await response.json()).toMatchObject({ error: 'invalid_grant' })
      expect(response.headers.get('set-cookie')).toContain('Max-Age=0')
    })

    it('body mode keeps 400 invalid_request for a refresh without a token: there, that is a broken client', async () => {
      const mock = msw.start()
      const response = await post(mock.endpoints.refresh, {})
      expect(response.status).toBe(400)
      expect(await response.json()).toMatchObject({ error: 'invalid_request' })
    })
  })

  it('sends the cookie only to the refresh path', async () => {
    const mock = startCookieServer()
    const { body } = await cookieLogin(mock)
    const seen: Record<string, Record<string, string>> = {}
    // Handlers that answer nothing fall through to the mock's own; they only record what arrived.
    msw.server.use(
      http.get(mock.endpoints.me, ({ cookies }) => void (seen.me = cookies)),
      http.post(mock.endpoints.refresh, ({ cookies }) => void (seen.refresh = cookies)),
    )
    await fetch(mock.endpoints.me, { headers: { Authorization: `Bearer ${String(body.accessToken)}` } })
    await post(mock.endpoints.refresh, undefined, csrf)
    expect(seen.me).not.toHaveProperty('tokenrail_rt')
    expect(seen.refresh).toHaveProperty('tokenrail_rt')
  })

  it('a replayed cookie token revokes the family and clears the cookie', async () => {
    const mock = startCookieServer()
    const { response: loginResponse } = await cookieLogin(mock)
    const spent = refreshCookieValue(loginResponse)
    const rotated = await post(mock.endpoints.refresh, undefined, csrf)
    expect(rotated.status).toBe(200)
    const newest = refreshCookieValue(rotated)

    const replay = await post(mock.endpoints.refresh, undefined, { ...csrf, Cookie: `tokenrail_rt=${spent}` })
    expect(replay.status).toBe(400)
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' })
    expect(replay.headers.get('set-cookie')).toBe('tokenrail_rt=; HttpOnly; Secure; SameSite=Strict; Path=/auth/refresh; Max-Age=0')
    expect(mock.stats).toMatchObject({ reuseDetected: 1, revoked: 1 })
    // The jar dropped the cookie; the newest token, presented by whoever still holds it, is revoked too.
    expect((await post(mock.endpoints.refresh, undefined, csrf)).status).toBe(204)
    expect((await post(mock.endpoints.refresh, undefined, { ...csrf, Cookie: `tokenrail_rt=${newest}` })).status).toBe(400)
  })

  it('logout by Bearer sid revokes the family and clears the cookie with the same path', async () => {
    const mock = startCookieServer()
    const { body } = await cookieLogin(mock)
    const response = await post(mock.endpoints.logout, undefined, { Authorization: `Bearer ${String(body.accessToken)}` })
    expect(response.status).toBe(204)
    expect(response.headers.getSetCookie()).toEqual(['tokenrail_rt=; HttpOnly; Secure; SameSite=Strict; Path=/auth/refresh; Max-Age=0'])
    expect(mock.stats.revoked).toBe(1)
    // The cookie is gone from the jar, so refresh has nothing to present: no session.
    const after = await post(mock.endpoints.refresh, undefined, csrf)
    expect(after.status).toBe(204)
    expect(mock.stats.refreshes).toBe(0)
  })

  it('logout revokes the family named by the refresh cookie when the request carries it', async () => {
    const mock = startCookieServer()
    const { response: loginResponse } = await cookieLogin(mock)
    const token = refreshCookieValue(loginResponse)
    expect((await post(mock.endpoints.logout, undefined, { Cookie: `tokenrail_rt=${token}` })).status).toBe(204)
    expect(mock.stats.revoked).toBe(1)
  })

  it('logout with no token still clears the cookie', async () => {
    const mock = startCookieServer()
    const response = await fetch(mock.endpoints.logout, { method: 'POST' })
    expect(response.status).toBe(204)
    expect(response.headers.get('set-cookie')).toContain('Max-Age=0')
    expect(mock.stats.revoked).toBe(0)
  })

  it('the access token still works as a Bearer token', async () => {
    const mock = startCookieServer()
    const { body } = await cookieLogin(mock)
    expect((await getWithToken(mock.endpoints.todos, String(body.accessToken))).status).toBe(200)
  })

  it('body mode sets no cookie at all', async () => {
    const mock = msw.start()
    const response = await post(mock.endpoints.login, { username: 'demo', password: 'demo-password' })
    expect(response.headers.getSetCookie()).toEqual([])
    expect((await post(mock.endpoints.logout, {})).headers.getSetCookie()).toEqual([])
  })
})
