import { AuthError } from '@tokenrail/core'
import { allowInsecureRequests as insecure, customFetch, discoveryRequest, processDiscoveryResponse } from 'oauth4webapi'
import { OAUTH2, oauth2, type OAuth2ClientOptions, type OAuth2Options } from './oauth2'

export interface DiscoverOptions extends Omit<OAuth2Options, 'tokenEndpoint' | 'revocationEndpoint' | 'authorizationEndpoint' | 'issuer'> {
  /** The fetch to read the metadata with, and the redirect login's code exchange. @default globalThis.fetch */
  fetch?: typeof fetch
  /**
   * Accept a plain-http issuer, and only on a loopback address (127.0.0.0/8, ::1, localhost): a provider run by
   * tests or a local example. Production issuers are HTTPS. @default false
   */
  allowInsecureRequests?: boolean
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
 * Reads the authorization server's metadata (OpenID Connect Discovery, then RFC 8414) with `oauth4webapi` and
 * returns the same client options as `oauth2()`, with `baseURL` set to the issuer. The metadata must name the
 * issuer asked for, or nothing is used.
 */
export async function discover(issuer: string, options: DiscoverOptions): Promise<OAuth2ClientOptions & { baseURL: string }> {
  const { fetch: transport, allowInsecureRequests, ...rest } = options
  const url = new URL(secureURL(issuer, 'issuer', allowInsecureRequests))
  const how = { [customFetch]: transport, [insecure]: !!allowInsecureRequests }
  for (const algorithm of ['oidc', 'oauth2'] as const) {
    const response = await discoveryRequest(url, { algorithm, ...how })
    if (response.status === 404) continue
    let metadata: Awaited<ReturnType<typeof processDiscoveryResponse>>
    try {
      metadata = await processDiscoveryResponse(url, response)
    } catch (cause) {
      throw new AuthError(`The discovery metadata of ${issuer} was refused: ${(cause as Error).message}`, { code: 'configuration', cause })
    }
    const { token_endpoint: token, revocation_endpoint: revocation, authorization_endpoint: authorization } = metadata
    if (typeof token !== 'string') throw new AuthError(`The discovery metadata of ${issuer} names no token_endpoint`, { code: 'configuration' })
    const preset = oauth2({
      ...rest,
      issuer: metadata.issuer,
      tokenEndpoint: secureURL(token, 'token endpoint', allowInsecureRequests),
      revocationEndpoint: revocation && secureURL(revocation, 'revocation endpoint', allowInsecureRequests),
      authorizationEndpoint: authorization && secureURL(authorization, 'authorization endpoint', allowInsecureRequests),
    })
    return { baseURL: issuer, ...preset, [OAUTH2]: { ...preset[OAUTH2], metadata, allowInsecureRequests } }
  }
  throw new AuthError(`${issuer} publishes no authorization server metadata`, { code: 'configuration' })
}
