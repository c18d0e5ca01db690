import type { AuthClientOptions, AuthRequest, TokenResponse } from '@tokenrail/core'

export interface OAuth2Options {
  /** The client's id at the authorization server: a public client, as a front end has no secret to keep. */
  clientId: string
  /** The token endpoint (RFC 6749), a path under `baseURL` or an absolute URL. @default '/token' */
  tokenEndpoint?: string
  /** The authorization endpoint, for `loginWithRedirect` (a path under `baseURL` or an absolute URL). */
  authorizationEndpoint?: string
  /** The issuer identifier the ID token's `iss` (and RFC 9207's `iss` parameter) must name. @default `baseURL` */
  issuer?: string
  /** The revocation endpoint (RFC 7009) logout revokes at. Without one, logout makes no server call. */
  revocationEndpoint?: string
  /** Sent with each token request; a refresh without it keeps the scope first granted. */
  scope?: string
  /** Resource indicators (RFC 8707) sent with each token request: the APIs the access token is for. */
  resource?: string | string[]
  /** Further form parameters for each token request (a server's own, e.g. `audience`). */
  extraParams?: Record<string, string>
  /**
   * `login({ username, password })` uses the resource owner password grant (RFC 6749 §4.3), which OAuth 2.1
   * drops: only where the server still offers it and you mean to. @default false
   */
  passwordGrant?: boolean
  /** On logout, revoke the access token too, after the refresh token (a server that revokes access tokens). @default false */
  revokeAccessToken?: boolean
  /**
   * Accept plain-http endpoints (and issuer, for `discover()`), and only on a loopback address (127.0.0.0/8,
   * ::1, localhost): a provider run by tests or a local example. Production servers are HTTPS. @default false
   */
  allowInsecureRequests?: boolean
}

/**
 * Where the client options keep what a redirect login needs to know of the server: a symbol, so that spreading
 * them into `createAuthClient` carries it, and `Symbol.for`, so that two copies of this entry agree.
 */
export const OAUTH2 = Symbol.for('tokenrail.oauth2')

/** The authorization server as the redirect login sees it. */
export interface OAuth2Server {
  clientId: string
  resource: string[]
  /** Absolute URLs, or paths under the client's `baseURL`. */
  tokenEndpoint: string
  authorizationEndpoint?: string
  issuer?: string
  /** The server's own metadata, when `discover()` read it. */
  metadata?: Record<string, unknown>
  /** Plain http on loopback, as `discover()` was allowed. */
  allowInsecureRequests?: boolean
}

/** The client options `oauth2()` and `discover()` write: spread them into `createAuthClient`. */
export type OAuth2ClientOptions = Required<Pick<AuthClientOptions, 'name' | 'endpoints' | 'requests' | 'parseTokens' | 'refused'>> & {
  readonly [OAUTH2]: OAuth2Server
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|\[::1\]|localhost)$/

/** `url`, unless it is plain http where that is not allowed: only with the switch, and only on loopback. */
export function secureURL(url: string, what: string, allowInsecureRequests?: boolean): string {
  const { protocol, hostname } = new URL(url)
  if (protocol !== 'https:' && !(protocol === 'http:' && allowInsecureRequests && LOOPBACK.test(hostname))) {
    throw new TypeError(`tokenrail: the ${what} ${url} is not https (plain http only with allowInsecureRequests, on a loopback address)`)
  }
  return url
}

/**
 * A standard OAuth 2.0 / OpenID Connect authorization server as client options. Refresh is RFC 6749 §6 (a form
 * `grant_type=refresh_token` with `client_id`, and `scope` / `resource` when configured); only `invalid_grant`
 * ends the session, while `invalid_client`, `invalid_request`, `unsupported_grant_type` and `invalid_scope`
 * are configuration errors that keep it and are reported. Logout revokes by RFC 7009.
 *
 * @example
 * createAuthClient({ baseURL: 'https://login.example.com', allowedOrigins: ['https://api.example.com'],
 *   ...oauth2({ clientId: 'spa', resource: 'https://api.example.com', revocationEndpoint: '/token/revocation' }) })
 */
export function oauth2(options: OAuth2Options): OAuth2ClientOptions {
  const { clientId, tokenEndpoint = '/token', revocationEndpoint, scope, resource = [], extraParams, passwordGrant, revokeAccessToken } = options
  const indicators = [resource].flat()
  if (!clientId || typeof clientId !== 'string') throw new TypeError('tokenrail: oauth2() needs the clientId the authorization server knows')
  // An absolute endpoint is checked here; a path is under baseURL, which the client resolves.
  for (const [what, url] of [['token endpoint', tokenEndpoint], ['revocation endpoint', revocationEndpoint], ['authorization endpoint', options.authorizationEndpoint]]) {
    if (url && /^[a-z][\w+.-]*:/i.test(url)) secureURL(url, what!, options.allowInsecureRequests)
  }

  /** A token request: the grant's own fields over the client's. */
  const tokenRequest = (grant: Record<string, string>): AuthRequest => {
    const body = new URLSearchParams({ ...extraParams, client_id: clientId, ...grant })
    if (scope) body.set('scope', scope)
    for (const indicator of indicators) body.append('resource', indicator)
    return { body }
  }
  const revocation = (token: string, hint: string): AuthRequest => ({
    body: new URLSearchParams({ token, token_type_hint: hint, client_id: clientId }),
  })

  return {
    // Two clients of one issuer (an admin app and a shop) never share a session: their tokens are not each other's.
    name: clientId,
    endpoints: { login: tokenEndpoint, refresh: tokenEndpoint, logout: revocationEndpoint ?? tokenEndpoint },
    requests: {
      login(credentials) {
        if (!passwordGrant) throw new TypeError('the password grant is off: log in with a redirect, or pass oauth2({ passwordGrant: true })')
        const { username, password } = credentials as { username: string; password: string }
        return tokenRequest({ grant_type: 'password', username, password })
      },
      // No refresh token (a login without offline_access): the session lasts as long as its access token.
      refresh: ({ refreshToken }) => (refreshToken ? tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }) : null),
      logout: revocationEndpoint
        ? ({ refreshToken, accessToken }) => [
            ...(refreshToken ? [revocation(refreshToken, 'refresh_token')] : []),
            // With no refresh token, the access token is all there is to revoke.
            ...(accessToken && (revokeAccessToken || !refreshToken) ? [revocation(accessToken, 'access_token')] : []),
          ]
        : null,
    },
    parseTokens(body): TokenResponse {
      const { access_token, refresh_token, id_token, expires_in } = (body ?? {}) as Record<string, undefined>
      return { accessToken: access_token!, refreshToken: refresh_token, idToken: id_token, expiresIn: expires_in }
    },
    // RFC 6749 §5.2: the refresh token is invalid, expired or revoked. Every other error is the client's set-up.
    refused: ({ body }) => (body as { error?: unknown } | undefined)?.error === 'invalid_grant',
    [OAUTH2]: { clientId, resource: indicators, tokenEndpoint, authorizationEndpoint: options.authorizationEndpoint, issuer: options.issuer, allowInsecureRequests: options.allowInsecureRequests },
  }
}
