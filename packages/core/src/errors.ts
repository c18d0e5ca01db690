/** What went wrong, as a stable string a program can switch on. */
export type AuthErrorCode =
  | 'login_failed'
  | 'session_expired'
  | 'logged_out'
  | 'network'
  | 'timeout'
  | 'server_error'
  | 'bad_response'
  | 'invalid_token'
  | 'storage'

export interface AuthErrorOptions {
  cause?: unknown
  /** HTTP status of the answer that caused the error, when there was one. */
  status?: number
}

/**
 * Base of every error tokenrail throws. Messages name the call that failed (method and URL without its
 * query) and never a token or a password; `toJSON` leaves `cause` out for the same reason.
 */
export class AuthError extends Error {
  override name = 'AuthError'
  readonly code: AuthErrorCode
  readonly status?: number

  constructor(message: string, code: AuthErrorCode, options: AuthErrorOptions = {}) {
    super(message, { cause: options.cause })
    this.code = code
    this.status = options.status
  }

  toJSON() {
    return { name: this.name, code: this.code, message: this.message, status: this.status }
  }
}

/** Login refused by the server (4xx). `error` is the server's own error code, e.g. `invalid_credentials`. */
export class LoginError extends AuthError {
  override name = 'LoginError'
  readonly error?: string

  constructor(message: string, options: AuthErrorOptions & { error?: string } = {}) {
    super(message, 'login_failed', options)
    this.error = options.error
  }

  override toJSON() {
    return { ...super.toJSON(), error: this.error }
  }
}

/** The session is over (refresh refused, or logged out meanwhile): the user has to log in again. */
export class SessionExpiredError extends AuthError {
  override name = 'SessionExpiredError'

  constructor(message: string, options: AuthErrorOptions & { code?: 'session_expired' | 'logged_out' } = {}) {
    super(message, options.code ?? 'session_expired', options)
  }
}

/** No usable answer: the request failed, timed out, or the server answered 5xx. */
export class NetworkError extends AuthError {
  override name = 'NetworkError'

  constructor(message: string, options: AuthErrorOptions & { code?: 'network' | 'timeout' | 'server_error' } = {}) {
    super(message, options.code ?? 'network', options)
  }
}

// Guards check `name` as well as `instanceof`, so an error from another realm (an iframe, a second copy of
// the package) is still recognised.
const guard =
  <T extends AuthError>(type: abstract new (...args: never[]) => T, names: string[]) =>
  (error: unknown): error is T =>
    error instanceof type ||
    (typeof error === 'object' &&
      error !== null &&
      names.includes((error as Error).name) &&
      typeof (error as T).code === 'string')

export const isAuthError = guard(AuthError, ['AuthError', 'LoginError', 'SessionExpiredError', 'NetworkError'])
export const isLoginError = guard(LoginError, ['LoginError'])
export const isSessionExpiredError = guard(SessionExpiredError, ['SessionExpiredError'])
export const isNetworkError = guard(NetworkError, ['NetworkError'])
