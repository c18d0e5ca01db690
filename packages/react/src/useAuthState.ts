import type { AuthState } from '@tokenrail/core'
import { useBinding } from './context'
import type { RegisteredUser } from './Register'
import { useSelection } from './useSelection'

/**
 * The part of the auth state that `selector` picks; the component re-renders only when that part changes
 * (`Object.is`, or `isEqual` for a selector that builds objects).
 *
 * ```tsx
 * const refreshing = useAuthState((state) => state.refreshing)
 * // without a registered client, name the user type on the selector's argument
 * const roles = useAuthState((state: AuthState<{ roles: string[] }>) => state.user?.roles ?? [], sameRoles)
 * ```
 */
export function useAuthState<T, User = RegisteredUser>(
  selector: (state: AuthState<User>) => T,
  isEqual?: (a: T, b: T) => boolean,
): T {
  return useSelection(useBinding('useAuthState()'), selector, isEqual)
}
