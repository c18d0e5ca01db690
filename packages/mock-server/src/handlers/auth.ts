import { http, HttpResponse, type HttpHandler } from 'msw'
import { withoutRegisteredClaims } from '../claims'
import type { ServerContext } from '../context'
import { clearRefreshCookie, setRefreshCookie } from '../cookies'
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '../csrf'
import { readJsonObject } from '../readJsonBody'
import { errorResponse, invalidRequest, noContent, noStoreJson } from '../responses'
import type { Family, TokenPair } from '../sessions'
import type { RefreshFaultKind } from '../types'
import { authenticate, bearerToken } from './authenticate'

type Cookies = Record<string, string>

export function createAuthHandlers(context: ServerContext): HttpHandler[] {
  const { endpoints, faults } = context
  return [
    http.post(endpoints.login, async ({ request }) => {
      await faults.applyLatency()
      return login(context, request)
    }),
    http.post(endpoints.refresh, async ({ request, cookies }) => {
      context.stats.refreshAttempts++
      // The fault is taken on arrival, before the delay and before the token is looked at: it spends nothing.
      const fault = faults.takeRefreshFault()
      await faults.applyLatency()
      return fault === undefined ? refresh(context, request, cookies) : faultResponse(fault)
    }),
    http.post(endpoints.logout, async ({ request, cookies }) => {
      context.stats.logouts++
      await faults.applyLatency()
      return logout(context, request, cookies)
    }),
    http.get(endpoints.me, async ({ request }) => {
      context.stats.apiRequests++
      await faults.applyLatency()
      return me(context, request)
    }),
  ]
}

async function login(context: ServerContext, request: Request): Promise<Response> {
  const body = await readJsonObject(request)
  if (!body || typeof body.username !== 'string' || typeof body.password !== 'string') {
    return invalidRequest('expected a JSON body { username: string, password: string }')
  }
  const user = await context.users.authenticate(body.username, body.password)
  if (!user) {
    context.stats.loginFailures++
    // One answer for an unknown user and a wrong password, so logins cannot probe which users exist.
    return errorResponse(401, 'invalid_credentials')
  }
  context.stats.logins++
  const family = context.sessions.create(user.username)
  return tokenResponse(context, family, await family.currentPair)
}

async function refresh(context: ServerContext, request: Request, cookies: Cookies): Promise<Response> {
  const cookieMode = context.options.refreshToken === 'cookie'
  if (cookieMode && request.headers.get(CSRF_HEADER) !== CSRF_HEADER_VALUE) {
    return noStoreJson({ error: 'csrf', error_description: `missing header ${CSRF_HEADER}: ${CSRF_HEADER_VALUE}` }, 403)
  }
  const token = cookieMode ? cookieToken(context, cookies) : await bodyToken(request)
  // No cookie at all is a logged-out page load asking whether there is a session: 204 says "none" without
  // the red 4xx a browser console shows. A cookie that is there but spent or unknown is still refused below.
  if (token === undefined && cookieMode) return noContent()
  if (token === undefined) return invalidRequest('expected a JSON body { refreshToken: string }')

  const result = context.sessions.rotate(token)
  switch (result.kind) {
    case 'rotated':
      context.stats.refreshes++
      return tokenResponse(context, result.family, await result.family.currentPair)
    case 'grace':
      // A racing tab replayed the token spent a moment ago: it gets the pair the winner got, nothing new.
      context.stats.graceReplays++
      return tokenResponse(context, result.family, await result.family.currentPair)
    case 'reuse':
      context.stats.reuseDetected++
      context.stats.revoked++
      return refusedGrant(context, 'refresh token reused; the session is revoked')
    case 'expired':
      return refusedGrant(context, 'refresh token expired')
    case 'revoked':
    case 'unknown':
      return refusedGrant(context, 'unknown or revoked refresh token')
  }
}

async function logout(context: ServerContext, request: Request, cookies: Cookies): Promise<Response> {
  const body = await readJsonObject(request, { allowEmpty: true })
  if (!body || (body.refreshToken !== undefined && typeof body.refreshToken !== 'string')) {
    return invalidRequest('expected no body or a JSON body { refreshToken?: string }')
  }
  const family = await familyToRevoke(context, request, body.refreshToken, cookies)
  if (family && context.sessions.revoke(family)) context.stats.revoked++
  // 204 whether or not anything was revoked: logging out must always succeed from the client's point of view.
  return noContent(cookieHeaders(context, clearRefreshCookie(context.refreshCookie)))
}

/** The family named by the body's refresh token, else the refresh cookie, else the Bearer token's `sid`. */
async function familyToRevoke(
  context: ServerContext,
  request: Request,
  bodyRefreshToken: string | undefined,
  cookies: Cookies,
): Promise<Family | undefined> {
  const { sessions } = context
  const byBody = bodyRefreshToken ? sessions.familyOf(bodyRefreshToken) : undefined
  if (byBody) return byBody
  const cookie = context.options.refreshToken === 'cookie' ? cookieToken(context, cookies) : undefined
  const byCookie = cookie ? sessions.familyOf(cookie) : undefined
  if (byCookie) return byCookie
  const bearer = bearerToken(request)
  if (!bearer) return undefined
  // An expired access token still proves, by its signature, which session it belongs to: a user can always log out.
  const verified = await context.accessTokens.verify(bearer, { allowExpired: true })
  const sid = verified.ok ? verified.payload.sid : undefined
  return typeof sid === 'string' ? sessions.get(sid) : undefined
}

async function me(context: ServerContext, request: Request): Promise<Response> {
  const auth = await authenticate(context, request)
  if (!auth.ok) return auth.response
  return noStoreJson({ sub: auth.payload.sub, ...withoutRegisteredClaims(auth.payload) })
}

function tokenResponse(context: ServerContext, family: Family, pair: TokenPair): Response {
  const expiresIn = Math.max(0, pair.accessTokenExp - context.clock.nowSeconds())
  const body = { accessToken: pair.accessToken, tokenType: 'Bearer', expiresIn }
  if (context.options.refreshToken === 'body') return noStoreJson({ ...body, refreshToken: pair.refreshToken })
  const remainingSeconds = (family.expiresAt - context.clock.now()) / 1000
  return noStoreJson(body, 200, { 'Set-Cookie': setRefreshCookie(context.refreshCookie, pair.refreshToken, remainingSeconds) })
}

function refusedGrant(context: ServerContext, description: string): Response {
  // In cookie mode the dead cookie is dropped, so the browser stops sending it.
  return errorResponse(400, 'invalid_grant', {
    description,
    headers: cookieHeaders(context, clearRefreshCookie(context.refreshCookie)),
  })
}

function cookieHeaders(context: ServerContext, setCookie: string): Record<string, string> {
  return context.options.refreshToken === 'cookie' ? { 'Set-Cookie': setCookie } : {}
}

function cookieToken(context: ServerContext, cookies: Cookies): string | undefined {
  const value = cookies[context.options.refreshCookieName]
  return value ? value : undefined
}

async function bodyToken(request: Request): Promise<string | undefined> {
  const body = await readJsonObject(request)
  const token = body?.refreshToken
  return typeof token === 'string' && token !== '' ? token : undefined
}

function faultResponse(fault: RefreshFaultKind): Response {
  if (fault === 'network') return HttpResponse.error()
  if (fault === 'bad-json') {
    return new HttpResponse('<html>not a token set</html>', { status: 200, headers: { 'Content-Type': 'application/json' } })
  }
  return errorResponse(fault, 'injected_fault', { description: `failure injected by faults.failNextRefresh(${fault})` })
}
