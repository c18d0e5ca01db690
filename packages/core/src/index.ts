export { createAuthClient } from './createAuthClient'
export { memoryStorage } from './storage/memoryStorage'
export { webStorage } from './storage/webStorage'
export { cookieStorage } from './storage/cookieStorage'
export { CSRF_HEADER } from './endpoints'
export { defaultParseTokens } from './tokens'
export {
  AuthError,
  LoginError,
  SessionExpiredError,
  NetworkError,
  isAuthError,
  isLoginError,
  isSessionExpiredError,
  isNetworkError,
} from './errors'
export type { AuthErrorCode, AuthErrorOptions } from './errors'
export type { AuthRequest, AuthRequests, Endpoints, RefreshAnswer, SessionTokens } from './types'
export type { RequestPolicy } from './policy'
export type { StoredTokens, TokenStorage } from './storage/TokenStorage'
export type { WebStorageOptions } from './storage/webStorage'
export type { CookieStorageOptions } from './storage/cookieStorage'
export type { Claims, TokenSet, TokenResponse } from './tokens'
export type { AuthClient, AuthClientOptions, AuthEvents, AuthFetchInit, AuthState, AuthStatus } from './types'
