import type { AuthState } from '@tokenrail/core'
import { useBinding } from './context'
import type { RegisteredUser } from './Register'
import { useSelection } from './useSelection'

const selectUser = <User>(state: AuthState<User>) => state.user

/**
 * The logged-in user (the access token's claims), or null. Re-renders only when the user changes: after a
 * login, a logout or a refresh, never for the refresh's own progress.
 */
export function useUser<User = RegisteredUser>(): User | null {
  return useSelection(useBinding('useUser()'), selectUser<User>)
}
