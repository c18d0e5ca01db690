import { AuthError, NetworkError } from '@tokenrail/core'
import { allowInsecureRequests as insecure, customFetch, discoveryRequest, processDiscoveryResponse } from 'oauth4webapi'
import { OAUTH2, oauth2, secureURL, type OAuth2ClientOptions, type OAuth2Options } from './oauth2'

export interface DiscoverOptions extends Omit<OAuth2Options, 'tokenEndpoint' | 'revocationEndpoint' | 'authorizationEndpoint' | 'issuer'> {
  /** The fetch to read the metadata with. @default globalThis.fetch */
  fetch?: typeof fetch
}

/**
 * Reads the authorization server's metadata (OpenID Connect Discovery, then RFC 8414) with `oauth4webapi` and
 * returns the same client options as `oauth2()`, with `baseURL` set to the issuer. The metadata must name the
 * issuer asked for, or nothing is used.
 */
export async function discover(issuer: string, options: DiscoverOptions): Promise<OAuth2ClientOptions & { baseURL: string }> {
  const { fetch: transport, allowInsecureRequests, ...rest } = options
  const url = new URL(secureURL(issuer, 'issuer', allowInsecureRequests))
  const how = { [customFetch]: transport, [insecure]: !!allowInsecureRequests, signal: () => AbortSignal.timeout(10_000) }
  for (const algorithm of ['oidc', 'oauth2'] as const) {
    let response: Response
    try {
      response = await discoveryRequest(url, { algorithm, ...how })
    } catch (cause) {
      throw new NetworkError(`The discovery metadata of ${issuer} could not be read`, { cause, code: (cause as Error).name === 'TimeoutError' ? 'timeout' : 'network' })
    }
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
      allowInsecureRequests,
      issuer: metadata.issuer,
      tokenEndpoint: secureURL(token, 'token endpoint', allowInsecureRequests),
      revocationEndpoint: revocation && secureURL(revocation, 'revocation endpoint', allowInsecureRequests),
      authorizationEndpoint: authorization && secureURL(authorization, 'authorization endpoint', allowInsecureRequests),
    })
    return { baseURL: issuer, ...preset, [OAUTH2]: { ...preset[OAUTH2], metadata, allowInsecureRequests } }
  }
  throw new AuthError(`${issuer} publishes no authorization server metadata`, { code: 'configuration' })
}
