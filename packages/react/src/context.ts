import type { AuthClient } from '@tokenrail/core'
import { createContext, useContext } from 'react'

/** The client an `AuthProvider` hands down; `undefined` outside any provider. */
export const AuthContext = createContext<AuthClient<unknown> | undefined>(undefined)

/** The provider's client, or an error that names `caller` and shows how to put a client there. */
export function useClient<User>(caller: string): AuthClient<User> {
  const client = useContext(AuthContext)
  if (!client) {
    throw new Error(
      `tokenrail: ${caller} must be used inside <AuthProvider client={...}>. Create the client once, outside React, and wrap the app:\n` +
        `  const auth = createAuthClient({ baseURL: '...' })\n` +
        `  <AuthProvider client={auth}><App /></AuthProvider>`,
    )
  }
  return client as AuthClient<User>
}
