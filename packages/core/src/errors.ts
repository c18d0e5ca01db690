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
  /** A call not written the way the server wants it: a builder that failed, or a 4xx that is not a refusal (OAuth `invalid_client`...). */
  | 'configuration'
  /** The server refused, or never answered, a logout's revocation: the session may still be live there. */
  | 'logout_failed'

export interface AuthErrorOptions {
  /** @default the class's own code */
  code?: AuthErrorCode
  cause?: unknown
  /** HTTP status of the answer that caused the error, when there was one. */
  status?: number
  /** The server's own error code from the answer body, e.g. `invalid_credentials`. */
  error?: string
}

/**
 * Base of every error tokenrail throws. Messages name the call that failed (method and URL without its
 * query) and never a token or a password; `toJSON` leaves `cause` out for the same reason.
 */
export class AuthError extends Error {
  override name = 'AuthError'
  declare readonly code: AuthErrorCode
  declare readonly status?: number
  declare readonly error?: string

  constructor(message: string, { code = 'bad_response', cause, status, error }: AuthErrorOptions = {}) {
    super(message, { cause })
    this.code = code
    this.status = status
    this.error = error
  }

  toJSON() {
    const { name, code, message, status, error } = this
    return { name, code, message, status, error }
  }
}

/** Login refused by the server (4xx); `status` and `error` say why. */
export class LoginError extends AuthError {
  override name = 'LoginError'
  constructor(message: string, options?: AuthErrorOptions) {
    super(message, { ...options, code: options?.code ?? 'login_failed' })
  }
}

/** The session is over (refresh refused, or logged out meanwhile): the user has to log in again. */
export class SessionExpiredError extends AuthError {
  override name = 'SessionExpiredError'
  constructor(message: string, options?: AuthErrorOptions) {
    super(message, { ...options, code: options?.code ?? 'session_expired' })
  }
}

/** No usable answer: the request failed, timed out, or the server answered 5xx. */
export class NetworkError extends AuthError {
  override name = 'NetworkError'
  constructor(message: string, options?: AuthErrorOptions) {
    super(message, { ...options, code: options?.code ?? 'network' })
  }
}

/** The session ended because someone logged out (this tab, another tab), or none had begun. */
export const loggedOut = (message = 'Logged out') => new SessionExpiredError(message, { code: 'logged_out' })

/**
 * How a message names a request: its method and URL without credentials, query or fragment, the parts of a
 * URL that may carry a secret.
 */
export function describeRequest(method: string, url: string): string {
  const { origin, pathname } = new URL(url)
  return `${method.toUpperCase()} ${origin}${pathname}`
}

// Guards check `name` as well as `instanceof`, so an error from another realm (an iframe, a second copy of
// the package) is still recognised.
const guard =
  <T extends AuthError>(type: abstract new (...args: never[]) => T, ...names: string[]) =>
  (error: unknown): error is T =>
    error instanceof type ||
    (names.includes((error as Error | undefined)?.name as string) && typeof (error as T).code === 'string')

export const isLoginError = guard(LoginError, 'LoginError')
export const isSessionExpiredError = guard(SessionExpiredError, 'SessionExpiredError')
export const isNetworkError = guard(NetworkError, 'NetworkError')
export const isAuthError = guard(AuthError, 'AuthError', 'LoginError', 'SessionExpiredError', 'NetworkError')
