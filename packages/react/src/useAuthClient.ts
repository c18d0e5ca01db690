import type { AuthClient } from '@tokenrail/core'
import { useBinding } from './context'
import type { RegisteredCredentials, RegisteredUser } from './Register'

/**
 * The provider's client, for `client.fetch` or `client.on(...)`. Reading it never re-renders the component when
 * the auth state changes.
 */
export function useAuthClient<User = RegisteredUser, Credentials = RegisteredCredentials>(): AuthClient<User, Credentials> {
  return useBinding('useAuthClient()').client as AuthClient<User, Credentials>
}
