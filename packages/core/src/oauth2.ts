import { AuthError, type AuthClientOptions, type AuthRequest, type TokenResponse } from '@tokenrail/core'

export interface OAuth2Options {
  /** The client's id at the authorization server: a public client, as a front end has no secret to keep. */
  clientId: string
  /** The token endpoint (RFC 6749), a path under `baseURL` or an absolute URL. @default '/token' */
  tokenEndpoint?: string
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
}

/** The client options `oauth2()` and `discover()` write: spread them into `createAuthClient`. */
export type OAuth2ClientOptions = Required<Pick<AuthClientOptions, 'endpoints' | 'requests' | 'parseTokens' | 'refused'>>

export interface DiscoverOptions extends Omit<OAuth2Options, 'tokenEndpoint' | 'revocationEndpoint'> {
  /** The fetch to read the metadata with. @default globalThis.fetch */
  fetch?: typeof fetch
  /**
   * Accept a plain-http issuer, and only on a loopback address (127.0.0.0/8, ::1, localhost): a provider run by
   * tests or a local example. Production issuers are HTTPS. @default false
   */
  allowInsecureRequests?: boolean
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
  if (!clientId || typeof clientId !== 'string') throw new TypeError('tokenrail: oauth2() needs the clientId the authorization server knows')

  /** A token request: the grant's own fields over the client's. */
  const tokenRequest = (grant: Record<string, string>): AuthRequest => {
    const body = new URLSearchParams({ ...extraParams, client_id: clientId, ...grant })
    if (scope) body.set('scope', scope)
    for (const indicator of [resource].flat()) body.append('resource', indicator)
    return { body }
  }
  const revocation = (token: string, hint: string): AuthRequest => ({
    body: new URLSearchParams({ token, token_type_hint: hint, client_id: clientId }),
  })

  return {
    endpoints: { login: tokenEndpoint, refresh: tokenEndpoint, logout: revocationEndpoint ?? tokenEndpoint },
    requests: {
      login(credentials) {
        if (!passwordGrant) throw new TypeError('the password grant is off: log in with a redirect, or pass oauth2({ passwordGrant: true })')
        const { username, password } = credentials as { username: string; password: string }
        return tokenRequest({ grant_type: 'password', username, password })
      },
      refresh: ({ refreshToken = '' }) => tokenRequest({ grant_type: 'refresh_token', refresh_token: refreshToken }),
      logout: revocationEndpoint
        ? ({ refreshToken, accessToken }) => [
            ...(refreshToken ? [revocation(refreshToken, 'refresh_token')] : []),
            // With no refresh token, the access token is all there is to revoke.
            ...(accessToken && (revokeAccessToken || !refreshToken) ? [revocation(accessToken, 'access_token')] : []),
          ]
        : null,
    },
    parseTokens(body): TokenResponse {
      const { access_token, refresh_token, expires_in } = (body ?? {}) as Record<string, undefined>
      return { accessToken: access_token!, refreshToken: refresh_token, expiresIn: expires_in }
    },
    // RFC 6749 §5.2: the refresh token is invalid, expired or revoked. Every other error is the client's set-up.
    refused: ({ body }) => (body as { error?: unknown } | undefined)?.error === 'invalid_grant',
  }
}

const LOOPBACK = /^(127(\.\d{1,3}){3}|\[::1\]|localhost)$/

/**
 * Reads the authorization server's metadata (OpenID Connect Discovery, then RFC 8414) and returns the same
 * client options as `oauth2()`, with `baseURL` set to the issuer. The metadata must name exactly the issuer
 * asked for, or nothing is used.
 */
export async function discover(issuer: string, options: DiscoverOptions): Promise<OAuth2ClientOptions & { baseURL: string }> {
  const { fetch: transport = globalThis.fetch, allowInsecureRequests, ...rest } = options
  const checked = (url: string, what: string) => {
    const { protocol, hostname } = new URL(url)
    if (protocol !== 'https:' && !(protocol === 'http:' && allowInsecureRequests && LOOPBACK.test(hostname))) {
      throw new TypeError(`tokenrail: the ${what} ${url} is not https (plain http only with allowInsecureRequests, on a loopback address)`)
    }
    return url
  }
  const { origin, pathname } = new URL(checked(issuer, 'issuer'))
  const path = pathname.replace(/\/$/, '')
  // OpenID Connect Discovery appends its well-known path to the issuer's; RFC 8414 puts it before.
  for (const url of [`${origin}${path}/.well-known/openid-configuration`, `${origin}/.well-known/oauth-authorization-server${path}`]) {
    const response = await transport(url, { headers: { accept: 'application/json' } })
    if (!response.ok) continue
    const metadata = (await response.json()) as { issuer?: unknown; token_endpoint?: string; revocation_endpoint?: string }
    if (metadata.issuer !== issuer) {
      throw new AuthError(`${url} names another issuer than ${issuer}: its metadata is not used`, { code: 'configuration' })
    }
    const { token_endpoint: token, revocation_endpoint: revocation } = metadata
    if (typeof token !== 'string') throw new AuthError(`${url} names no token_endpoint`, { code: 'configuration' })
    return {
      baseURL: issuer,
      ...oauth2({
        ...rest,
        tokenEndpoint: checked(token, 'token endpoint'),
        revocationEndpoint: typeof revocation === 'string' ? checked(revocation, 'revocation endpoint') : undefined,
      }),
    }
  }
  throw new AuthError(`${issuer} publishes no authorization server metadata`, { code: 'configuration' })
}
