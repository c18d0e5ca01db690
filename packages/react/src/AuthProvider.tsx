import type { AuthClient, Claims } from '@tokenrail/core'
import { useMemo, type ReactElement, type ReactNode } from 'react'
import { activityOf } from './activityOf'
import { AuthContext, type Binding } from './context'
import type { AuthSnapshot } from './getAuthSnapshot'

export interface AuthProviderProps<User = Claims, Credentials = unknown> {
  /** A client made once with `createAuthClient`, outside React, so renders and StrictMode never make another. */
  client: AuthClient<User, Credentials>
  /**
   * The state the server rendered (`getAuthSnapshot(serverClient)`, or one built from the app's own session),
   * given alike on the server and in the browser. The server renders it, hydration starts from it, and it stays
   * shown while the browser's client is still loading; the client's own state takes over once it has settled.
   * Read when the provider mounts (and when its client changes).
   * @default undefined: the server and the first hydration render show `loading`
   */
  snapshot?: AuthSnapshot<User> | null
  children?: ReactNode
}

/** Hands `client` to the hooks below it. It holds no auth state of its own: the client is the store. */
export function AuthProvider<User = Claims, Credentials = unknown>({
  client,
  snapshot,
  children,
}: AuthProviderProps<User, Credentials>): ReactElement {
  const value = useMemo<Binding>(
    () => ({
      ...activityOf(client as AuthClient<unknown, unknown>),
      // Whatever else the object carries, no token: this state is what the server renders.
      initial: snapshot && { ...snapshot, accessToken: null, refreshing: false },
    }),
    // The snapshot is where hydration starts: read with the client, not again when a parent re-renders.
    [client],
  )
  return <AuthContext.Provider value={value}>{children}</AuthContext.Provider>
}
