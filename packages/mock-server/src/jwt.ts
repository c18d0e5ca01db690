// HS256 access tokens with jose: signed with `typ: at+jwt`, verified against an algorithm allowlist, signature
// first (jose refuses to look at claims it could not authenticate), then exp / nbf / iss / aud.
import { base64url, SignJWT, jwtVerify, type JWTPayload } from 'jose'

export const ACCESS_TOKEN_TYPE = 'at+jwt'
const ALLOWED_ALGORITHMS = ['HS256']
const MAX_TOKEN_LENGTH = 16 * 1024
// RFC 6750 b64token: what may follow "Bearer ".
const B64TOKEN = /^[A-Za-z0-9\-._~+/]+=*$/

export interface AccessTokenPayload extends JWTPayload {
  sub: string
  exp: number
  /** The refresh token family (session) the token belongs to; absent on tokens crafted by signAccessToken. */
  sid?: string
}

export interface VerifyOptions {
  key: Uint8Array
  issuer: string
  audience: string
  /** Server time in epoch milliseconds. */
  now: number
  /** Accept an expired token (logout by an expired token is fine: the signature still proves who it is). */
  allowExpired?: boolean
}

export type VerifyResult = { ok: true; payload: AccessTokenPayload } | { ok: false; reason: string }

// Importing a raw secret into WebCrypto costs about as much as a signature: do it once per key.
const importedKeys = new WeakMap<Uint8Array, Promise<CryptoKey>>()
function hmacKey(key: Uint8Array): Promise<CryptoKey> {
  let imported = importedKeys.get(key)
  if (!imported) {
    imported = crypto.subtle.importKey('raw', key as Uint8Array<ArrayBuffer>, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify'])
    importedKeys.set(key, imported)
  }
  return imported
}

export async function signJwt(payload: Record<string, unknown>, key: Uint8Array): Promise<string> {
  return new SignJWT(payload).setProtectedHeader({ alg: 'HS256', typ: ACCESS_TOKEN_TYPE }).sign(await hmacKey(key))
}

export async function verifyAccessToken(token: string, options: VerifyOptions): Promise<VerifyResult> {
  if (token.length > MAX_TOKEN_LENGTH || !B64TOKEN.test(token)) return { ok: false, reason: 'malformed token' }
  try {
    const { payload } = await jwtVerify(token, await hmacKey(options.key), {
      algorithms: ALLOWED_ALGORITHMS,
      typ: ACCESS_TOKEN_TYPE,
      issuer: options.issuer,
      audience: options.audience,
      requiredClaims: ['sub', 'exp'],
      currentDate: new Date(options.now),
      // An expired token passes only where the caller asks (logout); every other check still applies.
      clockTolerance: options.allowExpired ? Number.MAX_SAFE_INTEGER : 0,
    })
    if (!isCanonicalSignature(token)) return { ok: false, reason: 'malformed token' }
    if (typeof payload.sub !== 'string') return { ok: false, reason: 'missing claim: sub' }
    return { ok: true, payload: payload as AccessTokenPayload }
  } catch (error) {
    return { ok: false, reason: describeFailure(error) }
  }
}

/**
 * Only the exact token this server signed is accepted. A base64 decoder forgives padding and the unused low bits
 * of the last character, so `token + '='` or a token with its last character changed by one would verify too:
 * the signature segment must be what encoding its own bytes gives (RFC 7515 compact form).
 */
function isCanonicalSignature(token: string): boolean {
  const signature = token.slice(token.lastIndexOf('.') + 1)
  try {
    return base64url.encode(base64url.decode(signature)) === signature
  } catch {
    return false
  }
}

function describeFailure(error: unknown): string {
  const { code, claim, reason } = (error ?? {}) as { code?: string; claim?: string; reason?: string }
  switch (code) {
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return 'algorithm not allowed'
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return 'signature verification failed'
    case 'ERR_JWT_EXPIRED':
      return 'token expired'
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (reason === 'missing') return `missing claim: ${claim ?? 'unknown'}`
      if (claim === 'nbf') return 'token not yet valid'
      if (claim === 'iss') return 'wrong issuer'
      if (claim === 'aud') return 'wrong audience'
      if (claim === 'typ') return 'wrong token type'
      return `invalid claim: ${claim ?? 'unknown'}`
    default:
      return 'malformed token'
  }
}
