import type { UserClaims } from './types'

// Claims that describe the token itself; a user's claims never override them.
const REGISTERED_CLAIMS = new Set(['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'sid'])

export function withoutRegisteredClaims(claims: Readonly<UserClaims>): UserClaims {
  return Object.fromEntries(Object.entries(claims).filter(([name]) => !REGISTERED_CLAIMS.has(name)))
}
