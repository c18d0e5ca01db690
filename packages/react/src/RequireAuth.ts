import type { AuthState } from '@tokenrail/core'
import type { ReactNode } from 'react'
import { useClient } from './context'
import { useSelection } from './useSelection'

export interface RequireAuthProps {
  /** Rendered when authenticated. */
  children?: ReactNode
  /** Rendered when nobody is logged in, e.g. a login form or a redirect. @default null */
  fallback?: ReactNode
  /** Rendered while the client is loading, and on the server. @default null */
  loading?: ReactNode
}

const selectStatus = (state: AuthState<unknown>) => state.status

/** Renders `children` only for a logged-in user; re-renders only when the status changes. */
export function RequireAuth({ children, fallback = null, loading = null }: RequireAuthProps): ReactNode {
  const status = useSelection(useClient('<RequireAuth>'), selectStatus)
  return status === 'authenticated' ? children : status === 'loading' ? loading : fallback
}
