import type { ServerClock } from './clock'
import { signJwt, verifyAccessToken, type VerifyResult } from './jwt'
import { randomId } from './random'
import type { SignAccessTokenOptions, UserClaims } from './types'

export interface AccessTokenService {
  /** Signs claims over the defaults (`iss`, `aud`, `jti`, `iat`, `exp`); see SignAccessTokenOptions. */
  sign(claims: UserClaims, options?: SignAccessTokenOptions): Promise<{ token: string; exp: number | undefined }>
  verify(token: string, options?: { allowExpired?: boolean }): Promise<VerifyResult>
}

export interface AccessTokenSettings {
  key: Uint8Array
  issuer: string
  audience: string
  accessTokenTtl: number
  clock: ServerClock
}

export function createAccessTokenService(settings: AccessTokenSettings): AccessTokenService {
  const { key, issuer, audience, accessTokenTtl, clock } = settings
  return {
    async sign(claims, options = {}) {
      const iat = options.iat ?? (typeof claims.iat === 'number' ? claims.iat : clock.nowSeconds())
      const payload: Record<string, unknown> = { iss: issuer, aud: audience, jti: randomId(), ...claims, iat }
      // Claims that name `exp` themselves win (`exp: undefined` leaves it out); otherwise iat + lifetime.
      if (!('exp' in claims)) payload.exp = iat + (options.expiresIn ?? accessTokenTtl)
      if (payload.exp === undefined) delete payload.exp
      const token = await signJwt(payload, options.key === undefined ? key : keyBytes(options.key))
      return { token, exp: typeof payload.exp === 'number' ? payload.exp : undefined }
    },
    verify(token, options = {}) {
      return verifyAccessToken(token, { key, issuer, audience, now: clock.now(), allowExpired: options.allowExpired })
    },
  }
}

/** A key for crafting tokens may be any length: a test may want a weak one on purpose. */
function keyBytes(key: string | Uint8Array): Uint8Array {
  if (typeof key === 'string') return new TextEncoder().encode(key)
  return key
}
