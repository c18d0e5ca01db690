// A NestJS API with @nestjs/jwt and passport-jwt in the shape its docs and the usual refresh-token guides give it,
// rebuilt with Express, jsonwebtoken and express-jwt:
// - POST /auth/login {username, password} -> 200 {access_token, refresh_token} (the docs' `@HttpCode(HttpStatus.OK)`);
//   the access token is `{ sub, username }` signed with expiresIn 60s as in the docs; the refresh token is the same
//   payload under a second secret, valid 7 days, and the server keeps a hash of the user's current one;
// - POST /auth/refresh with `Authorization: Bearer <refresh_token>` (a 'jwt-refresh' strategy) -> a new pair, and
//   the stored hash moves to the new refresh token: a spent one is refused;
// - POST /auth/logout with the access token (the 'jwt' guard) clears the stored hash;
// - GET /profile (the 'jwt' guard) returns the token's payload (the docs' `return req.user`);
// - every refusal is Nest's UnauthorizedException: 401 {"message":"Unauthorized","statusCode":401}.
// Like those guides, tokens carry no jti: two tokens signed in the same second for one user are the same string.
import { createHash, randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import express from 'express'
import { expressjwt } from 'express-jwt'
import jwt from 'jsonwebtoken'
import { createStats, dateHeader, listen, runChild } from './child.mjs'

const ACCESS_SECRET = randomBytes(32).toString('hex')
const REFRESH_SECRET = randomBytes(32).toString('hex')
const USER = { userId: 1, username: 'john', password: 'changeme' }
const stats = createStats()
let storedRefreshHash = null
const hash = (token) => createHash('sha256').update(token).digest('hex')

function issuePair() {
  const payload = { sub: USER.userId, username: USER.username }
  const access_token = jwt.sign(payload, ACCESS_SECRET, { expiresIn: '60s' })
  const refresh_token = jwt.sign(payload, REFRESH_SECRET, { expiresIn: '7d' })
  storedRefreshHash = hash(refresh_token)
  return { access_token, refresh_token }
}

const unauthorized = (response) => response.status(401).json({ message: 'Unauthorized', statusCode: 401 })

async function start() {
  const app = express()
  const server = createServer(app)
  const origin = await listen(server)
  app.use((_request, response, next) => (dateHeader(response), next()))
  app.use(express.json())

  const jwtGuard = expressjwt({ secret: ACCESS_SECRET, algorithms: ['HS256'] })
  const refreshGuard = expressjwt({ secret: REFRESH_SECRET, algorithms: ['HS256'] })

  app.post('/auth/login', (request, response) => {
    const { username, password } = request.body ?? {}
    if (username !== USER.username || password !== USER.password) return unauthorized(response)
    stats.logins++
    response.json(issuePair())
  })

  app.post('/auth/refresh', refreshGuard, (request, response) => {
    const token = request.get('authorization').replace(/^Bearer\s+/i, '')
    if (storedRefreshHash === null || hash(token) !== storedRefreshHash) {
      stats.refreshesRefused++
      return unauthorized(response)
    }
    stats.refreshesAccepted++
    response.json(issuePair())
  })

  app.post('/auth/logout', jwtGuard, (_request, response) => {
    storedRefreshHash = null
    stats.logouts++
    response.status(200).end()
  })

  app.get('/profile', jwtGuard, (request, response) => {
    stats.resourceOk++
    response.json(request.auth)
  })

  app.use((error, request, response, next) => {
    if (error?.name !== 'UnauthorizedError') return next(error)
    if (request.path === '/profile') stats.resourceRefused++
    if (request.path === '/auth/refresh') stats.refreshesRefused++
    unauthorized(response)
  })

  return {
    authBaseURL: origin,
    resourceURL: `${origin}/profile`,
    credentials: { username: USER.username, password: USER.password },
    accessTokenTtl: 60,
  }
}

runChild({ start, commands: { stats: () => stats } })
