import type { AuthState } from '@tokenrail/core'
import { useRef, useSyncExternalStore } from 'react'
import type { Binding } from './context'

/**
 * What the server renders, and what hydration renders first in the browser, when the provider has no
 * snapshot: loading, nobody, no token. The HTML then never carries a user and always matches the first client
 * render, whatever the client's storage holds; the real state takes over right after hydration.
 */
const SERVER_STATE: AuthState<never> = {
  status: 'loading',
  user: null,
  accessToken: null,
  expiresAt: null,
  refreshing: false,
}

interface Selection<User, T> {
  state: AuthState<User>
  selector: (state: AuthState<User>) => T
  value: T
}

/**
 * Subscribes to the part of the client's state that `selector` picks, and re-renders only when `isEqual` says
 * that part changed. The last selection is cached per snapshot and selector, so a selector that builds a new
 * object each call is safe, and an equal selection keeps its old identity. While the client is loading, the
 * provider's snapshot (the state the server rendered) stands in for it.
 */
export function useSelection<User, T>(
  { client, initial }: Binding,
  selector: (state: AuthState<User>) => T,
  isEqual: (a: T, b: T) => boolean = Object.is,
): T {
  const last = useRef<Selection<User, T> | undefined>(undefined)
  const select = (state: AuthState<unknown>): T => {
    const previous = last.current
    if (previous?.state === state && previous.selector === selector) return previous.value
    const value = selector(state as AuthState<User>)
    // Written during render on purpose: the cache only ever hands back a value equal to a fresh selection,
    // so a render React throws away cannot leave a wrong answer behind.
    last.current = { state: state as AuthState<User>, selector, value: previous && isEqual(previous.value, value) ? previous.value : value }
    return last.current.value
  }
  return useSyncExternalStore(
    client.subscribe,
    () => {
      const state = client.getState()
      return select(initial && state.status === 'loading' ? initial : state)
    },
    () => select(initial ?? SERVER_STATE),
  )
}
