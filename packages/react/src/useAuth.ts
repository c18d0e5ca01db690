import type { AuthClient, AuthState, AuthStatus, Claims } from '@tokenrail/core'
import { useMemo } from 'react'
import { useClient } from './context'
import { useSelection } from './useSelection'

export interface UseAuth<User = Claims> {
  status: AuthStatus
  /** The access token's claims, or null when logged out (or for an opaque token). */
  user: User | null
  isAuthenticated: boolean
  /** True until the client has read its storage (or, in cookie mode, tried its silent refresh), and during SSR. */
  isLoading: boolean
  /** Same function on every render. Rejects `LoginError` or `NetworkError`. */
  login: (credentials: unknown) => Promise<AuthState<User>>
  /** Same function on every render. Never rejects for a server or network failure. */
  logout: () => Promise<void>
  client: AuthClient<User>
}

interface Session<User> {
  status: AuthStatus
  user: User | null
}

const selectSession = <User>({ status, user }: AuthState<User>): Session<User> => ({ status, user })
const sameSession = <User>(a: Session<User>, b: Session<User>) => a.status === b.status && a.user === b.user

/**
 * The session and the actions on it. Re-renders when the status or the user changes, not while a refresh is
 * in flight; read other fields with `useAuthState`.
 */
export function useAuth<User = Claims>(): UseAuth<User> {
  const client = useClient<User>('useAuth()')
  const { status, user } = useSelection(client, selectSession<User>, sameSession<User>)
  const actions = useMemo(
    () => ({
      login: (credentials: unknown) => client.login(credentials),
      logout: () => client.logout(),
    }),
    [client],
  )
  return { status, user, isAuthenticated: status === 'authenticated', isLoading: status === 'loading', ...actions, client }
}
