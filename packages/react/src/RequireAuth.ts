import type { AuthState } from '@tokenrail/core'
import { useEffect, useRef, type ReactNode } from 'react'
import { useBinding } from './context'
import { useSelection } from './useSelection'

export interface RequireAuthProps {
  /** Rendered when authenticated. */
  children?: ReactNode
  /** Rendered when nobody is logged in, e.g. a login form. @default null */
  fallback?: ReactNode
  /** Rendered while the client is loading, and on the server without a snapshot. @default null */
  loading?: ReactNode
  /**
   * Called once each time the status turns `unauthenticated` (on mount when nobody is logged in, after a
   * logout or an expired session), after React committed; never while loading, never on the server, and not
   * again on a re-render. Redirect from here: `() => navigate('/login?returnTo=...')`. @default undefined
   */
  onUnauthenticated?: () => void
}

const selectStatus = (state: AuthState<unknown>) => state.status

/** Renders `children` only for a logged-in user; re-renders only when the status changes. */
export function RequireAuth({ children, fallback = null, loading = null, onUnauthenticated }: RequireAuthProps): ReactNode {
  const status = useSelection(useBinding('<RequireAuth>'), selectStatus)
  const out = status === 'unauthenticated'
  // Whether this transition was already reported: a ref, so StrictMode's second effect run reports nothing.
  const reported = useRef(false)
  useEffect(() => {
    if (out && !reported.current) onUnauthenticated?.()
    reported.current = out
    // Only a change of status reports: a new callback each render must not call it again.
  }, [out])
  return status === 'authenticated' ? children : out ? fallback : loading
}
