// node oidc-provider 9 as an authorization server for a browser app, plus the API it protects.
//
// The authorization server: one public client (`token_endpoint_auth_method: none`, so PKCE is required), refresh
// tokens for `offline_access` (which oidc-provider only grants when the authorization request has `prompt=consent`),
// rotated on every use, revocation (RFC 7009), and resource indicators (RFC 8707) so that the access token for the
// API is a JWT whose `aud` is the API. The provider's own development login and consent pages stand in for a user.
//
// The API: a second server that verifies that JWT with jose against the provider's JWKS (issuer, audience, expiry)
// on the same moved clock, and answers 401 with `WWW-Authenticate: Bearer error="invalid_token"` otherwise.
import { createServer } from 'node:http'
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose'
import Provider, { errors } from 'oidc-provider'
import { createStats, dateHeader, listen, runChild } from './child.mjs'

const ACCESS_TOKEN_TTL = 60
const CLIENT_ID = 'spa'
const REDIRECT_URI = 'http://127.0.0.1/callback'
const SCOPE = 'openid offline_access api:read'
const stats = createStats()

async function start() {
  const authServer = createServer()
  const issuer = await listen(authServer)
  const apiServer = createServer()
  const resource = await listen(apiServer)

  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const signingKey = { ...(await exportJWK(privateKey)), kid: 'interop', alg: 'RS256', use: 'sig' }

  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: 'none',
        redirect_uris: [REDIRECT_URI],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: SCOPE,
      },
    ],
    jwks: { keys: [signingKey] },
    cookies: { keys: ['interop-cookie-key'] },
    scopes: ['openid', 'offline_access', 'api:read'],
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, email: `${sub}@example.com` }) }),
    rotateRefreshToken: true,
    ttl: { AccessToken: ACCESS_TOKEN_TTL },
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        // Left at oidc-provider's default (false): with `openid` in the scope, a refresh that names no `resource`
        // gets an opaque access token for the userinfo endpoint, not a JWT for the API. Clients send `resource`.
        // useGrantedResource: () => true,
        getResourceServerInfo(_ctx, indicator) {
          if (indicator !== resource) throw new errors.InvalidTarget()
          return {
            scope: 'api:read',
            audience: resource,
            accessTokenTTL: ACCESS_TOKEN_TTL,
            accessTokenFormat: 'jwt',
            jwt: { sign: { alg: 'RS256' } },
          }
        },
      },
    },
  })
  provider.on('grant.success', (ctx) => {
    if (ctx.oidc.params.grant_type === 'refresh_token') stats.refreshesAccepted++
    else stats.logins++
  })
  provider.on('grant.error', (ctx) => {
    if (ctx.oidc.params?.grant_type === 'refresh_token') stats.refreshesRefused++
  })
  provider.use(async (ctx, next) => {
    await next()
    ctx.set('Date', new Date().toUTCString())
    if (ctx.path === '/token/revocation' && ctx.status === 200) stats.logouts++
  })
  const callback = provider.callback()
  authServer.on('request', callback)

  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`))
  apiServer.on('request', async (request, response) => {
    dateHeader(response)
    const url = new URL(request.url, resource)
    if (request.method !== 'GET' || url.pathname !== '/api/me') {
      response.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not_found"}')
      return
    }
    const bearer = /^Bearer ([^\s]+)$/.exec(request.headers.authorization ?? '')?.[1]
    try {
      if (!bearer) throw new Error('no token')
      const { payload } = await jwtVerify(bearer, jwks, {
        issuer,
        audience: resource,
        algorithms: ['RS256'],
        typ: 'at+jwt',
        currentDate: new Date(),
      })
      stats.resourceOk++
      response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ sub: payload.sub, scope: payload.scope }))
    } catch {
      stats.resourceRefused++
      response
        .writeHead(401, { 'content-type': 'application/json', 'www-authenticate': bearer ? 'Bearer error="invalid_token"' : 'Bearer' })
        .end('{"error":"invalid_token"}')
    }
  })

  return {
    authBaseURL: issuer,
    resourceURL: `${resource}/api/me`,
    oauth: { issuer, clientId: CLIENT_ID, redirectUri: REDIRECT_URI, scope: SCOPE, resource },
    accessTokenTtl: ACCESS_TOKEN_TTL,
  }
}

runChild({ start, commands: { stats: () => stats } })
