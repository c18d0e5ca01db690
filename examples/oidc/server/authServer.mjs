// The example's backend: node oidc-provider as the authorization server, and the API it protects.
//
// The provider knows one public client, `spa` (no secret, so PKCE is required), whose redirect URI is the app's
// `/callback`. It signs people in on its own development pages (devInteractions: any login and password), grants
// `offline_access` (a refresh token) when the authorization request has `prompt=consent`, rotates the refresh
// token on every use (a spent one revokes the whole grant), revokes by RFC 7009, and with resource indicators
// (RFC 8707) issues the API a JWT access token whose `aud` is the API. The ID token carries the user's `name`.
//
// The API is a second server on its own origin: it verifies that JWT with jose against the provider's JWKS
// (signature, issuer, audience, expiry, `typ: at+jwt`) and answers 401 with `WWW-Authenticate` otherwise.
import { randomBytes } from 'node:crypto'
import { createServer } from 'node:http'
import { createRemoteJWKSet, exportJWK, generateKeyPair, jwtVerify } from 'jose'
import Provider, { errors } from 'oidc-provider'

export const CLIENT_ID = 'spa'

/**
 * What the servers counted since they started, for the tests: every code exchange the token endpoint was asked
 * for (accepted or not), refreshes accepted and refused, revocations, grants revoked (a reused refresh token, or a
 * revocation), and the API's answers.
 */
const newStats = () => ({
  codeExchanges: 0,
  refreshes: 0,
  refreshesRefused: 0,
  revocations: 0,
  grantsRevoked: 0,
  apiOk: 0,
  apiRefused: 0,
  /** Refresh answers held back by `holdRefreshes()` so far. */
  refreshesHeld: 0,
})

/** Listens on `host` and `port` (0: a free one) and resolves the origin. */
function listen(server, host, port) {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => resolve(`http://${host}:${server.address().port}`))
  })
}

/** `alice` → `Alice`: the name the ID token carries for whoever signed in with that login. */
const nameOf = (login) => login.charAt(0).toUpperCase() + login.slice(1)

/**
 * Starts the provider and the API.
 * @param {{ app: string, host?: string, port?: number, apiPort?: number, accessTokenTtl?: number }} options
 *   `app`: the app's origin (its `/callback` is the registered redirect URI, and it alone gets CORS);
 *   `accessTokenTtl`: seconds an access token lives, on the servers' clock (default 60).
 */
export async function startAuthServer({ app, host = '127.0.0.1', port = 0, apiPort = 0, accessTokenTtl = 60 }) {
  const appOrigin = new URL(app).origin
  const authServer = createServer()
  const apiServer = createServer()
  const issuer = await listen(authServer, host, port)
  const api = await listen(apiServer, host, apiPort)
  const stats = newStats()
  let held = null

  const { privateKey } = await generateKeyPair('RS256', { extractable: true })
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT_ID,
        token_endpoint_auth_method: 'none',
        redirect_uris: [`${appOrigin}/callback`],
        grant_types: ['authorization_code', 'refresh_token'],
        response_types: ['code'],
        scope: 'openid offline_access',
      },
    ],
    jwks: { keys: [{ ...(await exportJWK(privateKey)), kid: 'example', alg: 'RS256', use: 'sig' }] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'offline_access'],
    // The user's name comes with `openid` here, so that the app's scope stays 'openid offline_access'. Most
    // providers release `name` with the `profile` scope: add `profile` to the app's scope there.
    claims: { openid: ['sub', 'name'] },
    findAccount: (_ctx, sub) => ({ accountId: sub, claims: () => ({ sub, name: nameOf(sub) }) }),
    rotateRefreshToken: true,
    ttl: { AccessToken: accessTokenTtl, IdToken: 3600, RefreshToken: 86_400, Grant: 86_400, Session: 86_400, Interaction: 600 },
    // Only the app's origin may call the token and revocation endpoints from a browser.
    clientBasedCORS: (_ctx, origin) => origin === appOrigin,
    features: {
      devInteractions: { enabled: true },
      revocation: { enabled: true },
      resourceIndicators: {
        enabled: true,
        getResourceServerInfo(_ctx, indicator) {
          if (indicator !== api) throw new errors.InvalidTarget()
          // The API defines no scopes of its own: a token for its audience is what it checks.
          return { scope: '', audience: api, accessTokenTTL: accessTokenTtl, accessTokenFormat: 'jwt', jwt: { sign: { alg: 'RS256' } } }
        },
      },
    },
  })
  provider.on('grant.revoked', () => void stats.grantsRevoked++)
  // A 500 page says only "oops": the reason goes to stderr.
  provider.on('server_error', (_ctx, error) => console.error('oidc-provider:', error))
  provider.use(async (ctx, next) => {
    await next()
    // The tokens carry the moved clock; the Date header says the same.
    ctx.set('Date', new Date().toUTCString())
    const grant = ctx.path === '/token' && ctx.method === 'POST' ? ctx.oidc?.params?.grant_type : undefined
    if (grant === 'authorization_code') stats.codeExchanges++
    if (grant === 'refresh_token') {
      if (ctx.status === 200) stats.refreshes++
      else stats.refreshesRefused++
      // The refresh is done (the token rotated); only its answer waits, as a slow network would make it.
      if (held) await (stats.refreshesHeld++, held.promise)
    }
    if (ctx.path === '/token/revocation' && ctx.status === 200) stats.revocations++
  })
  authServer.on('request', provider.callback())

  const jwks = createRemoteJWKSet(new URL(`${issuer}/jwks`))
  apiServer.on('request', async (request, response) => {
    const cors = { 'access-control-allow-origin': appOrigin, vary: 'Origin', date: new Date().toUTCString() }
    const url = new URL(request.url ?? '/', api)
    if (request.method === 'OPTIONS') {
      response
        .writeHead(204, { ...cors, 'access-control-allow-methods': 'GET', 'access-control-allow-headers': 'authorization', 'access-control-max-age': '600' })
        .end()
      return
    }
    if (request.method !== 'GET' || url.pathname !== '/api/me') {
      response.writeHead(404, { ...cors, 'content-type': 'application/json' }).end('{"error":"not_found"}')
      return
    }
    const bearer = /^Bearer ([^\s]+)$/.exec(request.headers.authorization ?? '')?.[1]
    try {
      if (!bearer) throw new Error('no token')
      const { payload } = await jwtVerify(bearer, jwks, { issuer, audience: api, algorithms: ['RS256'], typ: 'at+jwt' })
      stats.apiOk++
      response.writeHead(200, { ...cors, 'content-type': 'application/json' }).end(JSON.stringify({ sub: payload.sub, aud: payload.aud, exp: payload.exp }))
    } catch {
      stats.apiRefused++
      response
        .writeHead(401, { ...cors, 'content-type': 'application/json', 'www-authenticate': bearer ? 'Bearer error="invalid_token"' : 'Bearer' })
        .end('{"error":"invalid_token"}')
    }
  })

  return {
    issuer,
    api,
    clientId: CLIENT_ID,
    accessTokenTtl,
    stats: () => ({ ...stats }),
    /** From now on, every refresh answer waits until `releaseRefreshes()`. */
    holdRefreshes() {
      let release
      const promise = new Promise((resolve) => (release = resolve))
      held ??= { promise, release }
    },
    releaseRefreshes() {
      held?.release()
      held = null
    },
    close: () => Promise.all([authServer, apiServer].map((server) => new Promise((resolve) => (server.closeAllConnections(), server.close(resolve))))),
  }
}
