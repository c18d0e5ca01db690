import type { AuthError, SessionExpiredError } from './errors'
import type { RequestPolicy } from './policy'
import type { TokenStorage } from './storage/TokenStorage'
import type { Claims, TokenResponse, TokenSet } from './tokens'

export type AuthStatus = 'loading' | 'authenticated' | 'unauthenticated'

/** A snapshot of the client; the same object until something in it changes. */
export interface AuthState<User = Claims> {
  status: AuthStatus
  /** The access token's claims (null for an opaque token or when logged out). */
  user: User | null
  accessToken: string | null
  /** Epoch ms on the client's clock, or null when unknown or logged out. */
  expiresAt: number | null
  refreshing: boolean
}

export interface AuthEvents<User = Claims> {
  login: AuthState<User>
  logout: undefined
  refresh: AuthState<User>
  sessionExpired: SessionExpiredError
  error: AuthError
}

export interface AuthClientOptions<Credentials = unknown> {
  /** Where the auth endpoints live, e.g. `https://api.example.com` (a path means the page's own origin). */
  baseURL: string
  /**
   * Keeps this client's session apart from other clients of the same auth server (two OAuth clients of one
   * issuer; `oauth2()` sets its `clientId`): its stored record, tab channel and lock are named after both.
   * @default none: one session per auth server
   */
  name?: string
  /** Paths under `baseURL`. @default { login: '/auth/login', refresh: '/auth/refresh', logout: '/auth/logout' } */
  endpoints?: Partial<Endpoints>
  /** Where tokens are kept. @default memoryStorage() */
  storage?: TokenStorage
  /**
   * `'cookie'`: the server keeps the refresh token in an HttpOnly cookie that no script can read; the access
   * token stays in memory and a reload restores the session with one silent refresh. @default 'storage'
   */
  refreshToken?: 'storage' | 'cookie'
  /** Origins (exact `URL.origin` matches) that receive the Bearer header. @default [origin of baseURL] */
  allowedOrigins?: string[]
  /** Seconds before expiry at which a token counts as expired (at most half its lifetime). @default 30 */
  refreshLeeway?: number
  /** Refresh on a timer before expiry. @default true where `document` exists, false elsewhere */
  autoRefresh?: boolean
  /** One refresh at a time across tabs, and tabs follow each other's login and logout. @default true where BroadcastChannel exists */
  crossTab?: boolean
  /**
   * How the login, refresh and logout calls are written, for a backend that wants another shape (a form, a
   * header, another method). Each builder returns an `AuthRequest` (`{ method?, headers?, body? }`), or a
   * promise of one. With a `refresh` builder, a session without a refresh token can be refreshed too.
   * @default POST JSON: the credentials; `{ refreshToken }`; `{ refreshToken }` with the access token as Bearer
   */
  requests?: AuthRequests<Credentials>
  /** Reads a token response of another shape (login, refresh, and what `setTokens` is given). @default understands accessToken/refreshToken/expiresIn and access_token/refresh_token/expires_in */
  parseTokens?: (body: unknown) => TokenResponse
  /**
   * Which refresh answers end the session (the refresh token is refused). Any other answer that is not tokens
   * keeps the session, fails with a typed error and is tried again after a backoff. @default status 400 or 401
   */
  refused?: (answer: RefreshAnswer) => boolean
  /** Answers that mean "token no longer good" and start a refresh, for `auth.fetch` and `attachAxios` alike; 403 never does. @default [401] */
  statusCodes?: readonly number[]
  /** Transport for the auth endpoints and `auth.fetch`. @default globalThis.fetch, read at call time */
  fetch?: typeof fetch
  /** Milliseconds before a call to an auth endpoint counts as failed. @default 10000 */
  timeout?: number
  /** The clock, for tests. @default Date.now */
  now?: () => number
}

export type AuthFetchInit = RequestInit & {
  /** No Bearer header, no refresh, no retry. */
  skipAuth?: boolean
}

/**
 * @typeParam User the access token's claims, as the app reads them
 * @typeParam Credentials what `login()` takes, e.g. `{ username: string; password: string }` @default unknown
 */
export interface AuthClient<User = Claims, Credentials = unknown> {
  /** POSTs credentials; stores the tokens. Rejects `LoginError` (4xx) or `NetworkError`; stores nothing then. */
  login(credentials: Credentials): Promise<AuthState<User>>
  /** Revokes on the server (best effort), always clears local tokens and tells other tabs. Never rejects for the server. */
  logout(): Promise<void>
  /** A token valid now (refreshed first within the leeway), or null when logged out or the session ended. */
  getAccessToken(): Promise<string | null>
  /** Single-flight refresh; rejects `SessionExpiredError` when the server refused the refresh token. */
  refresh(): Promise<string>
  /** Adopts tokens obtained elsewhere (SSR, an OAuth redirect): a `TokenSet`, or any answer `parseTokens` reads. Throws `AuthError` for a malformed token. */
  setTokens(tokens: TokenSet | TokenResponse | object): void
  /** The current snapshot. Needs no `this`: pass it as it is (`useSyncExternalStore(auth.subscribe, auth.getState)`). */
  getState(): AuthState<User>
  /** Calls `listener` after each change of the snapshot; returns unsubscribe. Needs no `this` either. */
  subscribe(listener: () => void): () => void
  on<E extends keyof AuthEvents<User>>(event: E, handler: (payload: AuthEvents<User>[E]) => void): () => void
  /** fetch with the Bearer header for allowed origins, and one refresh + retry on 401. */
  fetch(input: RequestInfo | URL, init?: AuthFetchInit): Promise<Response>
  /** The per-request rules, for adapters to other HTTP clients (the axios one uses them). */
  readonly policy: RequestPolicy
  /** The options the client was made with, as given: for entries that build on a client (`@tokenrail/core/oauth2`'s redirect login). */
  readonly options: AuthClientOptions
  /** Storage read and (cookie mode) session restored. */
  readonly ready: Promise<void>
  /** Stops timers, channels and listeners. */
  destroy(): void
}

export interface Endpoints {
  /** @default '/auth/login' */
  login: string
  /** @default '/auth/refresh' */
  refresh: string
  /** @default '/auth/logout' */
  logout: string
}

/**
 * One call to an auth endpoint, as a backend wants it. A plain object or array `body` is sent as JSON,
 * `URLSearchParams` as `application/x-www-form-urlencoded`, a string as it is, `null` or none as no body
 * (anything else `fetch` takes, such as `FormData`, as it is).
 */
export interface AuthRequest {
  /** @default 'POST' */
  method?: string
  /** A header whose value holds a token goes only to an allowed origin. */
  headers?: Record<string, string>
  body?: unknown
}

/** What the refresh and logout builders get: the session's tokens (no refresh token in cookie mode). */
export interface SessionTokens {
  accessToken?: string
  refreshToken?: string
}

export type Built<T> = T | Promise<T>

/** How the three auth calls are written; each builder is optional. */
export interface AuthRequests<Credentials = unknown> {
  /** @default (credentials) => ({ body: credentials }): POST JSON */
  login?: (credentials: Credentials) => Built<AuthRequest>
  /**
   * `null`: this session cannot be refreshed (no refresh token a server would take): it ends, as a refused
   * refresh ends it. @default POST JSON `{ refreshToken }` (`{}` in cookie mode)
   */
  refresh?: (tokens: SessionTokens) => Built<AuthRequest | null>
  /**
   * Several requests are sent in order (to revoke a refresh token, then an access token); `null` makes no
   * server call. @default POST JSON `{ refreshToken }` with the access token as Bearer
   */
  logout?: ((tokens: SessionTokens) => Built<AuthRequest | AuthRequest[]>) | null
}

/** A refresh answer that was not tokens, for `refused` to judge. */
export interface RefreshAnswer {
  status: number
  /** The parsed JSON body; undefined when the body is not JSON. */
  body: unknown
}
