import type { AuthState, Claims } from '@tokenrail/core'
import { useClient } from './context'
import { useSelection } from './useSelection'

/**
 * The part of the auth state that `selector` picks; the component re-renders only when that part changes
 * (`Object.is`, or `isEqual` for a selector that builds objects).
 *
 * ```tsx
 * const refreshing = useAuthState((state) => state.refreshing)
 * // the user type is named on the selector's argument: the token's claims are `unknown` until then
 * const roles = useAuthState((state: AuthState<{ roles: string[] }>) => state.user?.roles ?? [], sameRoles)
 * ```
 */
export function useAuthState<T, User = Claims>(
  selector: (state: AuthState<User>) => T,
  isEqual?: (a: T, b: T) => boolean,
): T {
  return useSelection(useClient<User>('useAuthState()'), selector, isEqual)
}
