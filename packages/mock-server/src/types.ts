import type { HttpHandler } from 'msw'

/** Claims copied into every access token of a user (besides the registered ones the server sets). */
export type UserClaims = Record<string, unknown>

/** A user the mock server knows. Only a salted hash of `password` is kept. */
export interface MockUser {
  username: string
  password: string
  /** Extra claims for this user's access tokens (`name`, `email`, `roles`...). @default {} */
  claims?: UserClaims
}

/** Where the refresh token travels: in the JSON body, or in an HttpOnly cookie that no script can read. */
export type RefreshTokenMode = 'body' | 'cookie'

export interface MockAuthServerOptions {
  /**
   * Where the endpoints live: an absolute URL (`'https://api.example.com'`, `'https://api.example.com/v1'`) or
   * a path (`'/'`, `'/v1'`) meaning "the page's own origin" (msw's browser worker, the Node server).
   */
  baseURL: string
  /** The users who may log in. @default [DEMO_USER] */
  users?: readonly MockUser[]
  /** Access token lifetime in seconds. @default 300 */
  accessTokenTtl?: number
  /** Absolute lifetime of a login's refresh token family in seconds, counted from login; rotation never extends it. @default 86400 */
  refreshTokenTtl?: number
  /** The `iss` claim of access tokens, checked on protected routes. @default 'tokenrail-mock-server' */
  issuer?: string
  /** The `aud` claim of access tokens, checked on protected routes. @default 'tokenrail-demo-api' */
  audience?: string
  /**
   * The HS256 secret, at least 32 bytes (a string counts its UTF-8 bytes). Never use a password here.
   * @default 32 random bytes, new for every server
   */
  key?: string | Uint8Array
  /** `'cookie'`: the refresh token lives in an HttpOnly cookie and refresh requires the CSRF header. @default 'body' */
  refreshToken?: RefreshTokenMode
  /** Name of the refresh cookie in cookie mode. @default 'tokenrail_rt' */
  refreshCookieName?: string
  /**
   * Seconds during which the refresh token spent last may be replayed once more and answers the current pair
   * (tabs racing) instead of counting as reuse. @default 0
   */
  reuseGraceSeconds?: number
  /** PBKDF2-SHA-256 iterations for the stored password hashes (about 2 ms per login at the default). @default 10000 */
  passwordHashIterations?: number
}

/** Server time: wall-clock time read at each call plus an offset moved by `advance`. */
export interface MockClock {
  /** Server time in epoch milliseconds: `Date.now()` (fake timers apply) plus the advanced offset. */
  now(): number
  /** Moves server time forward; tokens expire without anybody waiting. */
  advance(seconds: number): void
  /** Drops the advanced offset. */
  reset(): void
}

/** How an injected refresh failure looks to the client: a network error, an HTTP status, or a 200 that is not JSON. */
export type RefreshFaultKind = 'network' | 'bad-json' | number

export interface MockFaults {
  /**
   * The next `count` refresh requests fail as `kind`, before the refresh token is looked at (nothing is spent).
   * Calls add up: two calls with count 1 fail the next two requests.
   */
  failNextRefresh(kind: RefreshFaultKind, count?: number): void
  /** Delays every `/auth/*` response by `ms` (read through `setTimeout` at call time, so fake timers drive it); 0 turns it off. */
  latency(ms: number): void
  /** Removes pending refresh faults and latency. */
  clear(): void
}

/** Counters of what the server did; a plain object, cleared (not replaced) by `reset()`. */
export interface MockStats {
  /** Successful logins. */
  logins: number
  /** Logins refused with `invalid_credentials`. */
  loginFailures: number
  /** Every request to the refresh endpoint, including faulted and refused ones. */
  refreshAttempts: number
  /** Successful rotations (a grace replay is not one). */
  refreshes: number
  /** Replays of the previous refresh token answered inside the grace window. */
  graceReplays: number
  /** Spent refresh tokens presented again (each one revokes its family). */
  reuseDetected: number
  /** Refresh token families revoked, by logout or by reuse detection. */
  revoked: number
  /** Requests to the logout endpoint. */
  logouts: number
  /** Requests that reached a protected route (`/auth/me`, `/api/*`). */
  apiRequests: number
  /** 401 answers from protected routes. */
  unauthorized: number
}

export interface SignAccessTokenOptions {
  /** Lifetime in seconds, from `iat`. Ignored when the claims carry `exp` themselves. @default accessTokenTtl */
  expiresIn?: number
  /** Issued-at in epoch seconds, e.g. skewed to test a client whose clock is off. @default the server clock */
  iat?: number
  /** Another HS256 secret, e.g. to craft a token this server must refuse. @default the server's key */
  key?: string | Uint8Array
}

/** A user as the server stores it: no password, only its salted hash. */
export interface StoredUser {
  readonly username: string
  readonly claims: Readonly<UserClaims>
  readonly passwordHash: {
    readonly algorithm: 'PBKDF2-SHA-256'
    readonly iterations: number
    /** base64url */
    readonly salt: string
    /** base64url */
    readonly hash: string
  }
}

export interface MockUsers {
  /** Adds a user at run time (kept by `reset()`); rejects if the username is taken. */
  add(user: MockUser): Promise<void>
  /** The stored users, once their hashes are computed. */
  list(): Promise<readonly StoredUser[]>
}

/** The endpoint URLs, as the handlers match them (absolute, or paths when `baseURL` is a path). */
export interface MockEndpoints {
  readonly login: string
  readonly refresh: string
  readonly logout: string
  readonly me: string
  readonly todos: string
}

export interface MockAuthServer {
  /** msw request handlers: `setupServer(...mock.handlers)` in Node, `setupWorker(...mock.handlers)` in a browser. */
  readonly handlers: HttpHandler[]
  readonly endpoints: MockEndpoints
  readonly clock: MockClock
  readonly faults: MockFaults
  readonly stats: Readonly<MockStats>
  readonly users: MockUsers
  /** Signs an access token with this server's key (or `options.key`); the claims are written over the defaults. */
  signAccessToken(claims?: UserClaims, options?: SignAccessTokenOptions): Promise<string>
  /** Forgets every session, todo, counter, fault and clock offset; users stay. */
  reset(): void
}
