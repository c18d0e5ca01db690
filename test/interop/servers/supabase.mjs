// Supabase Auth (GoTrue) behind the Supabase API gateway, with one PostgREST table, rebuilt with Express and
// jsonwebtoken from supabase/auth's own code (internal/api/token_refresh.go, internal/tokens/service.go, logout.go,
// auth.go, errors.go):
// - the gateway: every call needs an `apikey` header (the project's anon key), else 401 `{"message":"No API key found
//   in request", ...}`;
// - POST /auth/v1/token?grant_type=password {email,password} and ?grant_type=refresh_token {refresh_token} -> 200
//   {access_token, token_type:"bearer", expires_in, expires_at, refresh_token, user}; refresh tokens are 12-character
//   strings, rotated on every use; a revoked token is still accepted when it is the parent of the session's active
//   one (GoTrue answers the active one again) or within the reuse interval (10 s); past it, its whole family is
//   revoked and it answers 400 refresh_token_already_used;
// - errors in GoTrue's legacy shape `{"code":400,"error_code":"...","msg":"..."}`, or `{"code":"...","message":"..."}`
//   when the request says `X-Supabase-Api-Version: 2024-01-01` (supabase-js does);
// - POST /auth/v1/logout (?scope=global|local|others, default global) with Bearer + apikey -> 204, the sessions and
//   their refresh tokens deleted; it needs a valid access token (an expired one is 403 bad_jwt);
// - GET /auth/v1/user answers 403 bad_jwt for an expired token (not 401) and 403 session_not_found after a logout;
// - GET /rest/v1/todos is PostgREST: 401 PGRST303 "JWT expired" for an expired token, 401 42501 for the anon role,
//   200 for role `authenticated`. It does not look up the session: a logged-out access token works until it expires.
import { randomBytes, randomUUID } from 'node:crypto'
import { createServer } from 'node:http'
import express from 'express'
import jwt from 'jsonwebtoken'
import { createStats, dateHeader, listen, runChild } from './child.mjs'

const JWT_EXP = 3600
const REUSE_INTERVAL = 10
const SECRET = randomBytes(32).toString('hex')
const USER = {
  id: randomUUID(),
  aud: 'authenticated',
  role: 'authenticated',
  email: 'alice@example.com',
  password: 'secret-password',
}
const ANON_KEY = jwt.sign({ iss: 'supabase', ref: 'interop', role: 'anon' }, SECRET, { expiresIn: '10y' })
const stats = createStats()
const sessions = new Map() // id -> { id, userId }
const refreshTokens = new Map() // token -> { id, token, sessionId, parent, revoked, updatedAt }
let tokenIds = 0
const now = () => Math.floor(Date.now() / 1000)

class ApiError extends Error {
  constructor(status, code, message) {
    super(message)
    Object.assign(this, { status, code })
  }
}

function sendError(request, response, error) {
  response.set('x-sb-error-code', error.code)
  if (request.get('x-supabase-api-version') === '2024-01-01') {
    response.set('x-supabase-api-version', '2024-01-01')
    return response.status(error.status).json({ code: error.code, message: error.message })
  }
  response.status(error.status).json({ code: error.status, error_code: error.code, msg: error.message })
}

const newRefreshToken = () => {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789'
  return Array.from(randomBytes(12), (byte) => alphabet[byte % alphabet.length]).join('')
}

function grantRefreshToken(sessionId, parent = null) {
  const token = newRefreshToken()
  refreshTokens.set(token, { id: ++tokenIds, token, sessionId, parent, revoked: false, updatedAt: now() })
  return token
}

function userJSON() {
  const { password: _password, ...user } = USER
  return {
    ...user,
    email_confirmed_at: '2026-01-01T00:00:00Z',
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: {},
    identities: [],
    created_at: '2026-01-01T00:00:00Z',
    updated_at: new Date().toISOString(),
    is_anonymous: false,
  }
}

function sessionAnswer(origin, sessionId, refreshToken) {
  const iat = now()
  const claims = {
    aud: 'authenticated',
    exp: iat + JWT_EXP,
    iat,
    iss: `${origin}/auth/v1`,
    sub: USER.id,
    email: USER.email,
    phone: '',
    app_metadata: { provider: 'email', providers: ['email'] },
    user_metadata: {},
    role: 'authenticated',
    aal: 'aal1',
    amr: [{ method: 'password', timestamp: iat }],
    session_id: sessionId,
    is_anonymous: false,
  }
  return {
    access_token: jwt.sign(claims, SECRET, { algorithm: 'HS256', header: { alg: 'HS256', typ: 'JWT' } }),
    token_type: 'bearer',
    expires_in: JWT_EXP,
    expires_at: claims.exp,
    refresh_token: refreshToken,
    user: userJSON(),
  }
}

function refresh(origin, value) {
  if (typeof value !== 'string' || value.length < 12 || !/^[a-z0-9]{12}$/.test(value)) {
    throw new ApiError(400, 'validation_failed', 'Refresh token is not valid')
  }
  const token = refreshTokens.get(value)
  if (!token) throw new ApiError(400, 'refresh_token_not_found', 'Invalid Refresh Token: Refresh Token Not Found')
  const session = sessions.get(token.sessionId)
  if (!session) throw new ApiError(400, 'session_not_found', 'Invalid Refresh Token: No Valid Session Found')
  let issued
  if (token.revoked) {
    const active = [...refreshTokens.values()].filter((each) => each.sessionId === session.id && !each.revoked).at(-1)
    if (active && active.parent === token.token) {
      issued = active.token // the client lost the answer to its last refresh: it gets the same token again
    } else if (now() > token.updatedAt + REUSE_INTERVAL) {
      for (const each of refreshTokens.values()) if (each.sessionId === session.id) each.revoked = true
      throw new ApiError(400, 'refresh_token_already_used', 'Invalid Refresh Token: Already Used')
    }
  }
  if (!issued) {
    token.revoked = true
    token.updatedAt = now()
    issued = grantRefreshToken(session.id, token.token)
  }
  return sessionAnswer(origin, session.id, issued)
}

function verifyAccess(request) {
  const bearer = /^Bearer\s+(\S+)$/i.exec(request.get('authorization') ?? '')?.[1]
  if (!bearer) return { error: 'missing' }
  try {
    return { claims: jwt.verify(bearer, SECRET, { algorithms: ['HS256'] }) }
  } catch (error) {
    return { error: error.name === 'TokenExpiredError' ? 'expired' : 'invalid', detail: error.message }
  }
}

async function start() {
  const app = express()
  const server = createServer(app)
  const origin = await listen(server)
  app.use((_request, response, next) => (dateHeader(response), next()))
  // The API gateway in front of every Supabase service.
  app.use((request, response, next) => {
    const apikey = request.get('apikey')
    if (!apikey) {
      return response.status(401).json({ message: 'No API key found in request', hint: 'No `apikey` request header or url param was found.' })
    }
    if (apikey !== ANON_KEY) return response.status(401).json({ message: 'Invalid API key', hint: 'Double check your Supabase `anon` or `service_role` API key.' })
    next()
  })
  app.use(express.json())

  app.post('/auth/v1/token', (request, response) => {
    const grantType = request.query.grant_type
    try {
      if (grantType === 'password') {
        const { email, password } = request.body ?? {}
        if (email !== USER.email || password !== USER.password) throw new ApiError(400, 'invalid_credentials', 'Invalid login credentials')
        const session = { id: randomUUID(), userId: USER.id }
        sessions.set(session.id, session)
        stats.logins++
        return response.json(sessionAnswer(origin, session.id, grantRefreshToken(session.id)))
      }
      if (grantType === 'refresh_token') {
        try {
          const answer = refresh(origin, request.body?.refresh_token)
          stats.refreshesAccepted++
          return response.json(answer)
        } catch (error) {
          stats.refreshesRefused++
          throw error
        }
      }
      return response.status(400).json({ error: 'unsupported_grant_type', error_description: '' })
    } catch (error) {
      if (!(error instanceof ApiError)) throw error
      sendError(request, response, error)
    }
  })

  // GoTrue's requireAuthentication + maybeLoadUserOrSession.
  const requireAuthentication = (request, response, next) => {
    const { claims, error, detail } = verifyAccess(request)
    if (error === 'missing') return sendError(request, response, new ApiError(401, 'no_authorization', 'This endpoint requires a valid Bearer token'))
    if (error) {
      const reason = error === 'expired' ? 'token has invalid claims: token is expired' : detail
      return sendError(request, response, new ApiError(403, 'bad_jwt', `invalid JWT: unable to parse or verify signature, ${reason}`))
    }
    if (claims.session_id && !sessions.has(claims.session_id)) {
      return sendError(request, response, new ApiError(403, 'session_not_found', 'Session from session_id claim in JWT does not exist'))
    }
    request.claims = claims
    next()
  }

  app.post('/auth/v1/logout', requireAuthentication, (request, response) => {
    const scope = request.query.scope ?? 'global'
    if (!['global', 'local', 'others'].includes(scope)) {
      return sendError(request, response, new ApiError(400, 'validation_failed', `Unsupported logout scope "${scope}"`))
    }
    const ended = [...sessions.values()].filter((session) =>
      scope === 'local' ? session.id === request.claims.session_id : scope === 'others' ? session.id !== request.claims.session_id : true,
    )
    for (const session of ended) {
      sessions.delete(session.id)
      for (const [value, token] of refreshTokens) if (token.sessionId === session.id) refreshTokens.delete(value)
    }
    stats.logouts++
    response.status(204).end()
  })

  app.get('/auth/v1/user', requireAuthentication, (_request, response) => response.json(userJSON()))

  // PostgREST: the JWT decides the role; `todos` is granted to `authenticated` only.
  app.get('/rest/v1/todos', (request, response) => {
    const { claims, error } = verifyAccess(request)
    const refuse = (body, description) => {
      stats.resourceRefused++
      if (description) response.set('WWW-Authenticate', `Bearer error="invalid_token", error_description="${description}"`)
      response.status(401).json({ details: null, hint: null, ...body })
    }
    if (error === 'expired') return refuse({ code: 'PGRST303', message: 'JWT expired' }, 'JWT expired')
    if (error === 'invalid') return refuse({ code: 'PGRST301', message: 'No suitable key or wrong key type' }, 'No suitable key or wrong key type')
    if (error === 'missing' || claims.role !== 'authenticated') return refuse({ code: '42501', message: 'permission denied for table todos' })
    stats.resourceOk++
    response.json([{ id: 1, title: 'interop', user_id: claims.sub }])
  })

  return {
    authBaseURL: origin,
    resourceURL: `${origin}/rest/v1/todos`,
    userURL: `${origin}/auth/v1/user`,
    apiKey: ANON_KEY,
    credentials: { email: USER.email, password: USER.password },
    accessTokenTtl: JWT_EXP,
    reuseIntervalSeconds: REUSE_INTERVAL,
  }
}

runChild({ start, commands: { stats: () => stats } })
