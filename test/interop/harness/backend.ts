import type { ServerProcess } from './child'

export type BackendName = 'oidc-provider' | 'django-simplejwt' | 'laravel-jwt-auth' | 'nestjs-jwt' | 'supabase-gotrue'

/** What a backend counted since it started. Steps compare two snapshots. */
export interface BackendStats {
  /** Token sets issued from credentials (OAuth: authorization code exchanges). */
  logins: number
  refreshesAccepted: number
  /** Refresh calls answered with an error (a refused token, an unknown client...). */
  refreshesRefused: number
  /** Protected resource answers: 200, and 401 (or the backend's own refusal). */
  resourceOk: number
  resourceRefused: number
  /** Revocations the server carried out (logout, RFC 7009 revocation, blacklist). */
  logouts: number
}

/** A token set as the backend's own JSON carries it, read by the harness (never by a client under test). */
export interface RawTokens {
  accessToken: string
  refreshToken?: string
  expiresIn?: number
}

/** An HTTP answer as it came: status, and the body parsed as JSON when it was JSON (else the text, or null). */
export interface RawAnswer {
  status: number
  body: unknown
  headers: Headers
}

export interface OAuthSettings {
  issuer: string
  clientId: string
  redirectUri: string
  scope: string
  /** The API's resource indicator (RFC 8707): the `aud` of its JWT access tokens. */
  resource: string
  tokenEndpoint: string
  revocationEndpoint: string
}

/**
 * A real auth server running in a child process on 127.0.0.1, with its clock under the test's control.
 * Everything here talks to it over HTTP, as a client would; nothing reaches into its state except the clock and the
 * counters (over the child's control channel).
 */
export interface Backend {
  name: BackendName
  /** What it is, for the table (project, version, shape). */
  title: string
  pid: number
  /** The auth server's origin (OAuth: the issuer, which is an origin here too); the API may be elsewhere. */
  authBaseURL: string
  /**
   * Absolute URLs of the auth calls, as the backend documents them (Supabase's carry `?grant_type=`). OAuth: `login`
   * is absent (the first tokens come from the redirect flow).
   */
  endpoints: { login?: string; refresh: string; logout?: string }
  /** A protected GET: 200 JSON with a valid Bearer access token, 401 otherwise. */
  resourceURL: string
  /** The login body this backend expects (absent for OAuth). */
  credentials?: Record<string, string>
  /** Headers every call to this backend must carry (Supabase's `apikey`); empty elsewhere. */
  headers: Record<string, string>
  /** Seconds an access token lives on the server's clock. */
  accessTokenTtl: number
  /** What a refresh spends: a refresh token, or (Laravel jwt-auth, which has none) the access token itself. */
  refreshWith: 'refreshToken' | 'accessToken'
  /** Seconds after rotation during which the spent refresh token is still accepted (GoTrue's reuse interval). */
  reuseIntervalSeconds: number
  /** OAuth 2 settings (oidc-provider only). */
  oauth?: OAuthSettings
  /** Anything else worth knowing about this backend's wire (shown in the results' notes). */
  notes: string[]

  /** Logs in over HTTP as a client would (OAuth: the authorization code + PKCE flow) and returns the raw JSON. */
  rawLogin(): Promise<Record<string, unknown>>
  /** The backend's token JSON read into a token set. */
  tokensOf(body: unknown): RawTokens
  /** One refresh call with `credential` (a refresh token, or Laravel's access token). */
  rawRefresh(credential: string, options?: { clientId?: string }): Promise<RawAnswer>
  /** One logout / revocation call as the backend documents it. */
  rawLogout(tokens: RawTokens): Promise<RawAnswer>
  /** GET the protected resource with this access token (or none). */
  rawResource(accessToken?: string): Promise<RawAnswer>

  /**
   * Whether the server still accepts this refresh credential: one raw refresh call. It spends what it checks
   * (rotation), and on a rotating server a refused reuse may revoke the whole session: use it only at the end.
   */
  acceptsRefresh(credential: string): Promise<boolean>
  /** Whether the protected resource accepts this access token now. */
  acceptsAccess(accessToken: string): Promise<boolean>

  /** Moves the server's clock forward; tokens expire at the server without any wait. */
  advance(seconds: number): Promise<void>
  /** The server's clock, in ms since the epoch. */
  now(): Promise<number>
  stats(): Promise<BackendStats>
  /** Ends the server process, by its pid. */
  stop(): Promise<void>
}

export async function answer(response: Response): Promise<RawAnswer> {
  const text = await response.text()
  let body: unknown = text || null
  if (text) {
    try {
      body = JSON.parse(text)
    } catch {
      // not JSON: keep the text
    }
  }
  return { status: response.status, body, headers: response.headers }
}

/** A raw POST as each backend's docs write it: its own headers, and a JSON body when there is one. */
export function poster(defaults: Record<string, string> = {}) {
  return async (url: string, headers: Record<string, string>, body?: unknown) =>
    answer(
      await fetch(url, {
        method: 'POST',
        headers: { ...defaults, ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      }),
    )
}

/** The first tokens from a password login, raw: the backend's JSON, or an error that says what it answered. */
export async function passwordLogin(post: ReturnType<typeof poster>, url: string, credentials: unknown, who: string) {
  const { status, body } = await post(url, {}, credentials)
  if (status !== 200 || !isObject(body)) throw new Error(`${who} login answered ${status} ${JSON.stringify(body)}`)
  return body
}

/** The parts of a Backend that every child process provides the same way. */
export function processControls(server: ServerProcess<unknown>) {
  return {
    pid: server.pid,
    advance: async (seconds: number) => void (await server.call('advance', { seconds })),
    now: async () => (await server.call<{ now: number }>('now')).now,
    stats: () => server.call<BackendStats>('stats'),
    stop: () => server.stop(),
  }
}

export const bearer = (token: string | undefined): Record<string, string> => (token ? { authorization: `Bearer ${token}` } : {})

export const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null

/** Reads `{ access_token, refresh_token?, expires_in? }` (snake case, as most of these servers answer). */
export function snakeCaseTokens(body: unknown): RawTokens {
  if (!isObject(body) || typeof body.access_token !== 'string') throw new Error(`not a token answer: ${JSON.stringify(body)}`)
  return {
    accessToken: body.access_token,
    refreshToken: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    expiresIn: typeof body.expires_in === 'number' ? body.expires_in : undefined,
  }
}
