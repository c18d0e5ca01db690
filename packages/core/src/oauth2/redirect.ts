import { LoginError, NetworkError, type AuthClientOptions } from '@tokenrail/core'
import {
  allowInsecureRequests as insecure,
  authorizationCodeGrantRequest,
  calculatePKCECodeChallenge,
  customFetch,
  generateRandomCodeVerifier,
  generateRandomNonce,
  generateRandomState,
  None,
  processAuthorizationCodeResponse,
  validateAuthResponse,
} from 'oauth4webapi'
import { OAUTH2, secureURL, type OAuth2Server } from './oauth2'

export interface RedirectLoginOptions {
  /** Where the authorization server sends the browser back to, exactly as registered for the client. */
  redirectUri: string
  /** @default 'openid' */
  scope?: string
  /** More parameters for the authorization request (`prompt`, `login_hint`, `audience`...). */
  extraParams?: Record<string, string>
  /** Anything JSON can hold, handed back by `handleRedirectCallback` (the page to return to, say). */
  appState?: unknown
  /** How the page leaves for the authorization server. @default (url) => location.assign(url) */
  navigate?: (url: string) => void
}

/** The client a redirect login works on: one made with the options of `oauth2()` or `discover()`. */
export interface RedirectClient {
  readonly options: Pick<AuthClientOptions, 'baseURL' | 'fetch' | 'timeout'>
  setTokens(tokens: never): void
}

export interface RedirectCallbackResult {
  /** What `loginWithRedirect` was given as `appState`. */
  appState: unknown
}

/** What one login's round trip keeps in this tab's sessionStorage, and only until the callback. */
interface RoundTrip {
  state: string
  nonce?: string
  verifier: string
  redirectUri: string
  appState: unknown
}

// The callback's own parameters: they leave the address bar, so a reload or a shared link does not carry them.
const CALLBACK_PARAMS = ['code', 'state', 'iss', 'session_state', 'error', 'error_description', 'error_uri']

const roundTripKey = (server: OAuth2Server) => `tokenrail:redirect:${server.clientId}`

/** The server and client as oauth4webapi takes them, from the options the client was made with. */
function serverOf(auth: RedirectClient) {
  const options = auth?.options as (RedirectClient['options'] & { [OAUTH2]?: OAuth2Server }) | undefined
  const server = options?.[OAUTH2]
  if (!server) throw new TypeError('tokenrail: this client was not made with the options of oauth2() or discover()')
  const allowed = server.allowInsecureRequests
  // Endpoint paths resolve under baseURL as the client resolves them.
  const base = new URL(options.baseURL, globalThis.location?.href).href.replace(/\/?$/, '/')
  const at = (path: string | undefined, what: string) => path && secureURL(new URL(path.replace(/^\//, ''), base).href, what, allowed)
  const as = {
    ...server.metadata,
    issuer: server.issuer ?? new URL(options.baseURL, globalThis.location?.href).href.replace(/\/$/, ''),
    token_endpoint: at(server.tokenEndpoint, 'token endpoint'),
    authorization_endpoint: at(server.authorizationEndpoint, 'authorization endpoint'),
  }
  // Bounded like every auth call of the client (oauth4webapi asks for a signal per request).
  const signal = () => AbortSignal.timeout(options.timeout ?? 10_000)
  return { as, server, client: { client_id: server.clientId }, how: { [customFetch]: options.fetch, [insecure]: !!allowed, signal } }
}

/**
 * Sends the browser to the authorization server's login: the authorization code flow with PKCE (S256), a
 * `state` and (for OpenID Connect) a `nonce` from the platform's CSPRNG, kept in this tab's sessionStorage for
 * the round trip only. Resolves as the page navigates away.
 */
export async function loginWithRedirect(auth: RedirectClient, options: RedirectLoginOptions): Promise<void> {
  const { redirectUri, scope = 'openid', extraParams, appState, navigate = (url) => globalThis.location.assign(url) } = options
  const { as, server } = serverOf(auth)
  if (!as.authorization_endpoint) throw new TypeError('tokenrail: the server has no authorization endpoint (give oauth2() an authorizationEndpoint, or use discover())')
  const trip: RoundTrip = { state: generateRandomState(), verifier: generateRandomCodeVerifier(), redirectUri, appState }
  if (scope.split(' ').includes('openid')) trip.nonce = generateRandomNonce()
  const url = new URL(as.authorization_endpoint)
  const params = {
    ...extraParams,
    client_id: server.clientId,
    redirect_uri: redirectUri,
    response_type: 'code',
    scope,
    state: trip.state,
    ...(trip.nonce && { nonce: trip.nonce }),
    code_challenge: await calculatePKCECodeChallenge(trip.verifier),
    code_challenge_method: 'S256',
  }
  for (const [name, value] of Object.entries(params)) url.searchParams.set(name, value)
  for (const indicator of server.resource) url.searchParams.append('resource', indicator)
  globalThis.sessionStorage.setItem(roundTripKey(server), JSON.stringify(trip))
  navigate(url.href)
}

/**
 * On the page the server sent the browser back to: checks the authorization response (its `state`, the RFC 9207
 * `iss` when sent, an error such as `access_denied`), exchanges the code with the PKCE verifier, checks the ID
 * token (`iss`, `aud`, `nonce`, `exp`, `iat`), takes the code and state out of the address bar, and adopts the
 * tokens as a login (other tabs follow). The round trip is spent before anything is sent: a callback URL used
 * twice (a reload, the back button) fails with a `LoginError` and no second exchange, and leaves the session
 * the first one started as it is.
 */
export async function handleRedirectCallback(auth: RedirectClient, url: string = globalThis.location.href): Promise<RedirectCallbackResult> {
  const { as, server, client, how } = serverOf(auth)
  const current = new URL(url)
  const key = roundTripKey(server)
  const stored = globalThis.sessionStorage.getItem(key)
  globalThis.sessionStorage.removeItem(key)
  if (globalThis.history && globalThis.location?.href === url) {
    const clean = new URL(url)
    for (const name of CALLBACK_PARAMS) clean.searchParams.delete(name)
    globalThis.history.replaceState(globalThis.history.state, '', clean.href)
  }
  if (!stored) throw new LoginError('No redirect login is under way in this tab: the callback was used already, or began elsewhere', { error: 'no_login_in_progress' })
  let trip: RoundTrip
  try {
    trip = JSON.parse(stored) as RoundTrip
    const params = validateAuthResponse(as, client, current, trip.state)
    const resource = new URLSearchParams(server.resource.map((indicator) => ['resource', indicator]))
    const response = await authorizationCodeGrantRequest(as, client, None(), params, trip.redirectUri, trip.verifier, { ...how, additionalParameters: resource })
    const tokens = await processAuthorizationCodeResponse(as, client, response, trip.nonce ? { expectedNonce: trip.nonce, requireIdToken: true } : {})
    auth.setTokens(tokens as never)
  } catch (cause) {
    throw redirectError(cause)
  }
  return { appState: trip.appState }
}

/**
 * What went wrong on the way back, as tokenrail's errors say it: the server's `error` and description kept, and
 * nothing of oauth4webapi's error itself, which may hold the answer's body (its tokens) or the callback's code.
 */
function redirectError(cause: unknown): Error {
  const { name, message, error, error_description: description, status } = cause as Error & { error?: string; error_description?: string; status?: number }
  if (name === 'TypeError' && !error) return new NetworkError(`The code exchange failed: ${message}`)
  if (name === 'TimeoutError' || name === 'AbortError') return new NetworkError('The code exchange did not answer in time', { code: 'timeout' })
  if (error) return new LoginError(`The authorization server answered ${error}${description ? `: ${description}` : ''}`, { error, status })
  // oauth4webapi's own checks: a state that does not match, an ID token for another audience or nonce...
  return new LoginError(`The authorization response was refused: ${message}`, { error: 'invalid_response' })
}
