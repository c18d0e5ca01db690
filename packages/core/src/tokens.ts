import { jwtDecode } from 'jwt-decode'
import { AuthError } from './errors'

/** The claims of a JWT access token; `null` for an opaque token. */
export type Claims = Record<string, unknown>

/** What a client keeps: the tokens, and when the access token expires on this client's own clock. */
export interface TokenSet {
  accessToken: string
  refreshToken?: string
  /** An OpenID Connect ID token: when there is one, the user is its claims rather than the access token's. */
  idToken?: string
  /** Epoch milliseconds on the client's clock; absent when the token carries no expiry. */
  expiresAt?: number
}

/** What a token endpoint answered, after `parseTokens`. */
export interface TokenResponse {
  accessToken: string
  refreshToken?: string
  idToken?: string
  /** Lifetime of the access token in seconds, as the server said. */
  expiresIn?: number
  /** Already computed expiry (epoch ms, client clock), e.g. for tokens handed over by `setTokens`. */
  expiresAt?: number
}

/** A validated token set with what the client derived from it once, so no request decodes a JWT again. */
export interface Session extends TokenSet {
  user: Claims | null
  /** From this moment (client clock) the access token counts as expired and is refreshed before use. */
  staleAt: number
  /** The latest access tokens this session's refreshes replaced, newest first: a late 401 for one is this session's. */
  earlier?: string[]
}

export const MAX_TOKEN_LENGTH = 16 * 1024
// RFC 6750 b64token: no space, CR or LF can ever reach an Authorization header.
const B64TOKEN = /^[\w\-.~+/]+=*$/
const NUMERIC_CLAIMS = ['exp', 'iat', 'nbf']

const invalid = (what: string) => new AuthError(`Invalid ${what}`, { code: 'invalid_token' })

const isTime = (value: unknown): value is number => typeof value === 'number' && Number.isFinite(value)

/** Throws unless `token` is safe to put in a header and to store: a b64token of at most 16 KiB. */
export function checkToken(token: unknown, what = 'token'): asserts token is string {
  // The length first: a huge string is refused without scanning it.
  if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !B64TOKEN.test(token)) {
    throw invalid(what)
  }
}

/**
 * The claims of a JWT-shaped token (three segments), `null` for an opaque one (no dots).
 * Anything else, or a payload that is not a JSON object with numeric times, is refused.
 */
export function decodeClaims(token: string): Claims | null {
  const dots = token.split('.').length - 1
  if (dots === 0) return null
  let claims: unknown
  try {
    claims = dots === 2 && jwtDecode(token)
  } catch {
    // the decoder's message may quote the token; ours does not
  }
  if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw invalid('token payload')
  for (const name of NUMERIC_CLAIMS) {
    const value = (claims as Claims)[name]
    if (value !== undefined && !isTime(value)) throw invalid(`${name} claim`)
  }
  return claims as Claims
}

// `exp` on this clock bounds a lifetime only once it lies this far ahead: closer, the clocks may disagree.
const LOCAL_BOUND_MS = 60_000

/**
 * Expiry on the client's own clock, so a client clock hours off cannot cause a refresh storm: the token's
 * lifetime counted from its arrival, `exp - iat`, else `expiresIn`, else `exp` as it stands. An `iat` is not
 * always the issue time (Django SimpleJWT copies the refresh token's into the access tokens it refreshes),
 * so `exp` bounds that lifetime: as the server's clock puts it when its answer said the time (`Date`, whole
 * seconds), else on this clock once it lies a minute or more ahead (the clocks then agree well enough). An
 * expiry that already passed on arrival can only mean the clocks disagree; such a token is used until a 401
 * says otherwise.
 */
export function expiryOf(claims: Claims | null, expiresIn: unknown, receivedAt: number, serverDate?: number): number | undefined {
  const exp = isTime(claims?.exp) ? claims.exp * 1000 : undefined
  const iat = claims?.iat
  const dated = isTime(serverDate)
  let expiresAt =
    exp !== undefined && isTime(iat) ? receivedAt + exp - iat * 1000 : isTime(expiresIn) ? receivedAt + expiresIn * 1000 : dated ? Infinity : exp
  if (exp !== undefined) {
    const bound = dated ? receivedAt + exp - serverDate + 1000 : exp - receivedAt >= LOCAL_BOUND_MS ? exp : Infinity
    expiresAt = Math.min(expiresAt!, bound)
  }
  return expiresAt !== undefined && expiresAt > receivedAt && expiresAt < Number.MAX_SAFE_INTEGER ? expiresAt : undefined
}

/**
 * Validates tokens from a server, the app or storage (all treated as input from a stranger) and derives the
 * session. The leeway never exceeds half the token's remaining life, so short-lived tokens do not count as
 * expired the moment they arrive.
 */
export function toSession(input: unknown, now: number, leewayMs: number): Session {
  if (!input || typeof input !== 'object') throw invalid('token set')
  const { accessToken, refreshToken, idToken, expiresIn, expiresAt: given, serverDate } = input as TokenResponse & { serverDate?: number }
  checkToken(accessToken, 'access token')
  if (refreshToken !== undefined) checkToken(refreshToken, 'refresh token')
  if (idToken !== undefined) checkToken(idToken, 'ID token')
  const claims = decodeClaims(accessToken)
  // A given expiry (storage, setTokens, another tab) is held to the same bound as one derived from claims.
  const expiresAt = isTime(given) && given < Number.MAX_SAFE_INTEGER ? given : expiryOf(claims, expiresIn, now, serverDate)
  const staleAt = expiresAt === undefined ? Infinity : expiresAt - Math.min(leewayMs, Math.max(0, expiresAt - now) / 2)
  return { accessToken, refreshToken, idToken, expiresAt, user: idToken ? decodeClaims(idToken) : claims, staleAt }
}

/** Whether two sessions are one user's, as OpenID Connect Core §12.2 tells: the same issuer, subject and audience. */
export const sameUser = (a?: Session | null, b?: Session | null) =>
  ['iss', 'sub', 'aud'].every((claim) => String(a?.user?.[claim]) === String(b?.user?.[claim]))

/** The part of a session that is stored: nothing derived, so nothing can disagree after a reload. */
export const toTokenSet = ({ accessToken, refreshToken, idToken, expiresAt }: Session): TokenSet => ({
  accessToken,
  refreshToken,
  idToken,
  expiresAt,
})

/** Understands `{ accessToken, refreshToken, idToken, expiresIn }` and the OAuth `{ access_token, refresh_token, id_token, expires_in }`. */
export function defaultParseTokens(body: unknown): TokenResponse {
  const record = (body ?? {}) as Record<string, unknown>
  return {
    accessToken: (record.accessToken ?? record.access_token) as string,
    refreshToken: (record.refreshToken ?? record.refresh_token) as string | undefined,
    idToken: (record.idToken ?? record.id_token) as string | undefined,
    expiresIn: (record.expiresIn ?? record.expires_in) as number | undefined,
  }
}
