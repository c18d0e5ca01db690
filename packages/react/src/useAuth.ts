import type { AuthClient, AuthError, AuthState, AuthStatus } from '@tokenrail/core'
import { useSyncExternalStore } from 'react'
import { IDLE } from './activityOf'
import { useBinding } from './context'
import type { RegisteredCredentials, RegisteredUser } from './Register'
import { useSelection } from './useSelection'

export interface UseAuth<User = RegisteredUser, Credentials = RegisteredCredentials> {
  status: AuthStatus
  /** The access token's claims, or null when logged out (or for an opaque token). */
  user: User | null
  isAuthenticated: boolean
  /** True until the client has read its storage (or, in cookie mode, tried its silent refresh), and during SSR. */
  isLoading: boolean
  /**
   * The last error the client reported: a login (through this `login`) that failed, a refresh that failed, the
   * session that expired (`code` says why), a storage or logout failure. Cleared by the next successful login.
   * Always null on the server and during hydration.
   */
  error: AuthError | null
  /** True while a `login` from this hook (any component's) is under way. */
  isLoggingIn: boolean
  /** Same function on every render. Rejects `LoginError` or `NetworkError`, which `error` then holds. */
  login: (credentials: Credentials) => Promise<AuthState<User>>
  /** Same function on every render. Never rejects for a server or network failure. */
  logout: () => Promise<void>
  client: AuthClient<User, Credentials>
}

interface Session<User> {
  status: AuthStatus
  user: User | null
}

const selectSession = <User>({ status, user }: AuthState<User>): Session<User> => ({ status, user })
const sameSession = <User>(a: Session<User>, b: Session<User>) => a.status === b.status && a.user === b.user

/**
 * The session and the actions on it. Re-renders when the status, the user, `error` or `isLoggingIn` changes,
 * not while a refresh is in flight; read other fields with `useAuthState`.
 */
export function useAuth<User = RegisteredUser, Credentials = RegisteredCredentials>(): UseAuth<User, Credentials> {
  const binding = useBinding('useAuth()')
  const { status, user } = useSelection(binding, selectSession<User>, sameSession<User>)
  return {
    status,
    user,
    isAuthenticated: status === 'authenticated',
    isLoading: status === 'loading',
    ...useSyncExternalStore(binding.subscribe, binding.get, () => IDLE),
    login: binding.login as UseAuth<User, Credentials>['login'],
    logout: binding.logout,
    client: binding.client as AuthClient<User, Credentials>,
  }
}
