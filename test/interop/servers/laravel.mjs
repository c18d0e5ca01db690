// Laravel with tymon/jwt-auth 2.x, as its quick start sets it up (AuthController with login, me, logout, refresh),
// rebuilt with Express, jsonwebtoken and express-jwt. What is kept from jwt-auth, on purpose:
// - there is no refresh token: POST /api/auth/refresh takes the access token as `Authorization: Bearer`, even an
//   expired one, as long as its `iat` is within refresh_ttl; the old token is blacklisted (grace period 0);
// - the refreshed token keeps the ORIGINAL `iat` (Manager::buildRefreshClaims copies it), so `exp - iat` grows with
//   every refresh and refresh_ttl counts from the first login;
// - `expires_in` is ttl * 60 (the quick start's respondWithToken); ttl is in minutes, here 1;
// - refresh is left out of the `auth:api` middleware (the usual fix: the quick start guards it, which refuses the
//   expired tokens it exists to refresh); logout stays behind it, so an expired token cannot be logged out;
// - errors as Laravel renders them: `{"error":"Unauthorized"}` for a failed login (the quick start's own answer),
//   `{"message":"Unauthenticated."}` from the auth guard, and jwt-auth's exception messages as 401
//   `{"message": ...}` (what its own RefreshToken middleware throws: UnauthorizedHttpException('jwt-auth', ...)).
import { createHash, randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import express from 'express'
import { expressjwt } from 'express-jwt'
import jwt from 'jsonwebtoken'
import { createStats, dateHeader, listen, runChild } from './child.mjs'

const TTL_MINUTES = 1
const REFRESH_TTL_MINUTES = 20160
const SECRET = randomBytes(32).toString('base64')
const USER = { id: 1, name: 'Alice', email: 'alice@example.com', password: 'secret-password' }
const PRV = createHash('sha1').update('App\\Models\\User').digest('hex')
const stats = createStats()
const blacklist = new Set()
const now = () => Math.floor(Date.now() / 1000)

function issue(origin, path, iat) {
  const time = now()
  const claims = { iss: `${origin}${path}`, iat: iat ?? time, exp: time + TTL_MINUTES * 60, nbf: time, jti: randomBytes(8).toString('hex'), sub: String(USER.id), prv: PRV }
  return { access_token: jwt.sign(claims, SECRET, { algorithm: 'HS256' }), token_type: 'bearer', expires_in: TTL_MINUTES * 60 }
}

const jwtError = (response, message) =>
  response.status(401).set('WWW-Authenticate', 'jwt-auth').json({ message })

async function start() {
  const app = express()
  const server = createServer(app)
  const origin = await listen(server)
  app.use((_request, response, next) => (dateHeader(response), next()))
  app.use(express.json(), express.urlencoded({ extended: false }))

  const authApi = expressjwt({
    secret: SECRET,
    algorithms: ['HS256'],
    isRevoked: async (_request, token) => blacklist.has(token?.payload?.jti),
  })

  app.post('/api/auth/login', (request, response) => {
    const { email, password } = request.body ?? {}
    if (email !== USER.email || password !== USER.password) return response.status(401).json({ error: 'Unauthorized' })
    stats.logins++
    response.json(issue(origin, request.path))
  })

  app.post('/api/auth/refresh', (request, response) => {
    const token = /^Bearer\s+(\S+)$/i.exec(request.get('authorization') ?? '')?.[1]
    const refuse = (message) => (stats.refreshesRefused++, jwtError(response, message))
    if (!token) return refuse('Token could not be parsed from the request.')
    let payload
    try {
      payload = jwt.verify(token, SECRET, { algorithms: ['HS256'], ignoreExpiration: true, ignoreNotBefore: true })
    } catch {
      return refuse('Token Signature could not be verified.')
    }
    if (blacklist.has(payload.jti)) return refuse('The token has been blacklisted')
    if (payload.iat + REFRESH_TTL_MINUTES * 60 < now()) return refuse('Token has expired and can no longer be refreshed')
    blacklist.add(payload.jti)
    stats.refreshesAccepted++
    response.json(issue(origin, request.path, payload.iat))
  })

  app.post('/api/auth/logout', authApi, (request, response) => {
    blacklist.add(request.auth.jti)
    stats.logouts++
    response.json({ message: 'Successfully logged out' })
  })

  app.get('/api/auth/me', authApi, (_request, response) => {
    stats.resourceOk++
    const { password: _password, ...user } = USER
    response.json({ ...user, email_verified_at: null, created_at: '2026-01-01T00:00:00.000000Z', updated_at: '2026-01-01T00:00:00.000000Z' })
  })

  app.use((error, request, response, next) => {
    if (error?.name !== 'UnauthorizedError') return next(error)
    if (request.path === '/api/auth/me') stats.resourceRefused++
    response.status(401).json({ message: 'Unauthenticated.' })
  })

  return {
    authBaseURL: origin,
    resourceURL: `${origin}/api/auth/me`,
    credentials: { email: USER.email, password: USER.password },
    accessTokenTtl: TTL_MINUTES * 60,
  }
}

runChild({ start, commands: { stats: () => stats } })
