import type { AuthClient, Claims } from '@tokenrail/core'
import { useClient } from './context'

/**
 * The provider's client, for `client.fetch` or `client.on(...)`. Reading it never re-renders the component when
 * the auth state changes.
 */
export function useAuthClient<User = Claims>(): AuthClient<User> {
  return useClient<User>('useAuthClient()')
}
