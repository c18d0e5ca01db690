import { randomBytes } from './random'
import type { MockAuthServerOptions, MockUser, RefreshTokenMode } from './types'
import { DEMO_USER } from './users'

export const DEFAULT_REFRESH_COOKIE_NAME = 'tokenrail_rt'
export const DEFAULT_ISSUER = 'tokenrail-mock-server'
export const DEFAULT_AUDIENCE = 'tokenrail-demo-api'
export const DEFAULT_PASSWORD_HASH_ITERATIONS = 10_000
const MIN_KEY_BYTES = 32
// RFC 6265 cookie-name: an HTTP token.
const COOKIE_NAME = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/

export interface ResolvedOptions {
  readonly baseURL: string
  readonly users: readonly MockUser[]
  readonly accessTokenTtl: number
  readonly refreshTokenTtl: number
  readonly issuer: string
  readonly audience: string
  readonly key: Uint8Array
  readonly refreshToken: RefreshTokenMode
  readonly refreshCookieName: string
  readonly reuseGraceSeconds: number
  readonly passwordHashIterations: number
}

/** Fills in defaults and refuses bad options at creation, with a message that names the option. */
export function resolveOptions(options: MockAuthServerOptions): ResolvedOptions {
  if (typeof options !== 'object' || options === null) {
    throw new TypeError('createMockAuthServer(options) needs an options object with a baseURL')
  }
  const refreshToken = options.refreshToken ?? 'body'
  if (refreshToken !== 'body' && refreshToken !== 'cookie') {
    throw new TypeError(`refreshToken must be 'body' or 'cookie', got ${String(refreshToken)}`)
  }
  return {
    baseURL: options.baseURL,
    users: options.users ?? [DEMO_USER],
    accessTokenTtl: positiveInteger('accessTokenTtl', options.accessTokenTtl, 300),
    refreshTokenTtl: positiveInteger('refreshTokenTtl', options.refreshTokenTtl, 86_400),
    issuer: nonEmptyString('issuer', options.issuer, DEFAULT_ISSUER),
    audience: nonEmptyString('audience', options.audience, DEFAULT_AUDIENCE),
    key: options.key === undefined ? randomBytes(MIN_KEY_BYTES) : secretKey(options.key),
    refreshToken,
    refreshCookieName: cookieName(options.refreshCookieName),
    reuseGraceSeconds: nonNegativeNumber('reuseGraceSeconds', options.reuseGraceSeconds, 0),
    passwordHashIterations: positiveInteger(
      'passwordHashIterations',
      options.passwordHashIterations,
      DEFAULT_PASSWORD_HASH_ITERATIONS,
    ),
  }
}

/** An HS256 secret as bytes; refuses one shorter than the hash output (RFC 7518 section 3.2). */
export function secretKey(key: string | Uint8Array): Uint8Array {
  const bytes = typeof key === 'string' ? new TextEncoder().encode(key) : key instanceof Uint8Array ? key.slice() : null
  if (!bytes) throw new TypeError('key must be a string or a Uint8Array')
  if (bytes.length < MIN_KEY_BYTES) {
    // The message gives the length only, never the key.
    throw new RangeError(`key must be at least ${MIN_KEY_BYTES} bytes for HS256, got ${bytes.length}`)
  }
  return bytes
}

function positiveInteger(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (!Number.isInteger(value) || value <= 0) throw new RangeError(`${name} must be a positive integer, got ${String(value)}`)
  return value
}

function nonNegativeNumber(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${name} must be a finite number >= 0, got ${String(value)}`)
  }
  return value
}

function nonEmptyString(name: string, value: string | undefined, fallback: string): string {
  if (value === undefined) return fallback
  if (typeof value !== 'string' || value === '') throw new TypeError(`${name} must be a non-empty string`)
  return value
}

function cookieName(value: string | undefined): string {
  if (value === undefined) return DEFAULT_REFRESH_COOKIE_NAME
  if (typeof value !== 'string' || !COOKIE_NAME.test(value)) {
    throw new TypeError(`refreshCookieName must be a cookie name (letters, digits and !#$%&'*+-.^_\`|~), got ${String(value)}`)
  }
  return value
}
