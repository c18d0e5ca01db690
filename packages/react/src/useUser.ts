import type { AuthState, Claims } from '@tokenrail/core'
import { useClient } from './context'
import { useSelection } from './useSelection'

const selectUser = <User>(state: AuthState<User>) => state.user

/**
 * The logged-in user (the access token's claims), or null. Re-renders only when the user changes: after a
 * login, a logout or a refresh, never for the refresh's own progress.
 */
export function useUser<User = Claims>(): User | null {
  return useSelection(useClient<User>('useUser()'), selectUser<User>)
}
