import type { AuthClient, Claims } from '@tokenrail/core'
import type { ReactElement, ReactNode } from 'react'
import { AuthContext } from './context'

export interface AuthProviderProps<User = Claims> {
  /** A client made once with `createAuthClient`, outside React, so renders and StrictMode never make another. */
  client: AuthClient<User>
  children?: ReactNode
}

/** Hands `client` to the hooks below it. It holds no state of its own: the client is the store. */
export function AuthProvider<User = Claims>({ client, children }: AuthProviderProps<User>): ReactElement {
  return <AuthContext.Provider value={client as AuthClient<unknown>}>{children}</AuthContext.Provider>
}
