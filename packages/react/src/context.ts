import type { AuthState } from '@tokenrail/core'
import { createContext, useContext } from 'react'
import type { ActivityStore } from './activityOf'

/** What an `AuthProvider` hands down: its client with the client's activity, and the server's snapshot if given. */
export interface Binding extends ActivityStore {
  /** The state the server rendered, shown while the client is still loading; undefined without a snapshot. */
  initial: AuthState<unknown> | null | undefined
}

/** `undefined` outside any provider. */
export const AuthContext = createContext<Binding | undefined>(undefined)

/** The provider's binding, or an error that names `caller` and shows how to put a client there. */
export function useBinding(caller: string): Binding {
  const binding = useContext(AuthContext)
  if (!binding) {
    throw new Error(
      `tokenrail: ${caller} must be used inside <AuthProvider client={...}>. Make the client once, outside React:\n` +
        `  const auth = createAuthClient({ baseURL: '...' })\n` +
        `  <AuthProvider client={auth}><App /></AuthProvider>`,
    )
  }
  return binding
}
