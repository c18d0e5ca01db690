export { AuthProvider } from './AuthProvider'
export { getAuthSnapshot } from './getAuthSnapshot'
export { RequireAuth } from './RequireAuth'
export { useAccessToken } from './useAccessToken'
export { useAuth } from './useAuth'
export { useAuthClient } from './useAuthClient'
export { useAuthState } from './useAuthState'
export { useUser } from './useUser'
export type { AuthProviderProps } from './AuthProvider'
export type { AuthSnapshot } from './getAuthSnapshot'
export type { Register, RegisteredClient, RegisteredCredentials, RegisteredUser } from './Register'
export type { RequireAuthProps } from './RequireAuth'
export type { UseAuth } from './useAuth'

// The core's public API, so that one import is enough for a React app (TanStack's React package does the
// same).
export * from '@tokenrail/core'
