export { AuthProvider } from './AuthProvider'
export { RequireAuth } from './RequireAuth'
export { useAuth } from './useAuth'
export { useAuthClient } from './useAuthClient'
export { useAuthState } from './useAuthState'
export { useUser } from './useUser'
export type { AuthProviderProps } from './AuthProvider'
export type { RequireAuthProps } from './RequireAuth'
export type { UseAuth } from './useAuth'

// The core, by name, so that one import is enough for a React app.
export {
  createAuthClient,
  memoryStorage,
  webStorage,
  cookieStorage,
  defaultParseTokens,
  AuthError,
  LoginError,
  SessionExpiredError,
  NetworkError,
  isAuthError,
  isLoginError,
  isSessionExpiredError,
  isNetworkError,
} from '@tokenrail/core'
export type {
  AuthClient,
  AuthClientOptions,
  AuthErrorCode,
  AuthEvents,
  AuthFetchInit,
  AuthState,
  AuthStatus,
  Claims,
  CookieStorageOptions,
  Endpoints,
  TokenResponse,
  TokenSet,
  TokenStorage,
  WebStorageOptions,
} from '@tokenrail/core'
