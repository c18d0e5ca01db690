// Refresh token families: one per login. Each refresh spends the current token and issues the next; a spent token
// presented again means it leaked (or a client raced), so the whole family is revoked.
import { randomId } from './random'

export interface TokenPair {
  readonly accessToken: string
  readonly refreshToken: string
  /** The access token's `exp`, in epoch seconds. */
  readonly accessTokenExp: number
}

export interface Family {
  readonly id: string
  readonly username: string
  /** Epoch ms; fixed at login, rotation never moves it. */
  readonly expiresAt: number
  currentToken: string
  previousToken: string | undefined
  previousSpentAt: number
  /** The pair issued last; a promise because signing is async and a grace replay may arrive meanwhile. */
  currentPair: Promise<TokenPair>
  revoked: boolean
}

export type RotationResult =
  | { kind: 'rotated'; family: Family }
  | { kind: 'grace'; family: Family }
  | { kind: 'reuse'; family: Family }
  | { kind: 'expired' | 'unknown' | 'revoked' }

export interface SessionStore {
  /** Starts a family for a login and issues its first pair. */
  create(username: string): Family
  /** Spends `token` and moves its family on, synchronously, so two requests can never both rotate. */
  rotate(token: string): RotationResult
  /** The family a refresh token (current or spent) belongs to. */
  familyOf(token: string): Family | undefined
  get(id: string): Family | undefined
  /** Revokes a live family; false when it was already revoked. */
  revoke(family: Family): boolean
  clear(): void
}

export interface SessionStoreOptions {
  now: () => number
  refreshTokenTtlMs: number
  reuseGraceMs: number
  /** Signs the access token that goes with a new refresh token of `family`. */
  issue(family: FamilyIdentity, refreshToken: string): Promise<TokenPair>
}

export type FamilyIdentity = Pick<Family, 'id' | 'username' | 'expiresAt'>

const REFRESH_TOKEN_BYTES = 32

export function createSessionStore(options: SessionStoreOptions): SessionStore {
  const { now, refreshTokenTtlMs, reuseGraceMs, issue } = options
  const families = new Map<string, Family>()
  const tokens = new Map<string, string>() // refresh token -> family id, for current and spent tokens

  function newToken(familyId: string): string {
    const token = randomId(REFRESH_TOKEN_BYTES)
    tokens.set(token, familyId)
    return token
  }

  function revoke(family: Family): boolean {
    if (family.revoked) return false
    family.revoked = true
    for (const [token, id] of tokens) if (id === family.id) tokens.delete(token)
    return true
  }

  return {
    create(username) {
      const identity: FamilyIdentity = { id: randomId(), username, expiresAt: now() + refreshTokenTtlMs }
      const token = newToken(identity.id)
      const family: Family = {
        ...identity,
        currentToken: token,
        previousToken: undefined,
        previousSpentAt: 0,
        currentPair: issue(identity, token),
        revoked: false,
      }
      families.set(family.id, family)
      return family
    },

    rotate(token) {
      const family = families.get(tokens.get(token) ?? '')
      if (!family) return { kind: 'unknown' }
      if (family.revoked) return { kind: 'revoked' }
      if (now() >= family.expiresAt) return { kind: 'expired' }
      if (token === family.currentToken) {
        family.previousToken = token
        family.previousSpentAt = now()
        family.currentToken = newToken(family.id)
        family.currentPair = issue(family, family.currentToken)
        return { kind: 'rotated', family }
      }
      const inGrace = token === family.previousToken && now() - family.previousSpentAt <= reuseGraceMs
      if (reuseGraceMs > 0 && inGrace) return { kind: 'grace', family }
      revoke(family)
      return { kind: 'reuse', family }
    },

    familyOf: (token) => families.get(tokens.get(token) ?? ''),
    get: (id) => families.get(id),
    revoke,
    clear() {
      families.clear()
      tokens.clear()
    },
  }
}
