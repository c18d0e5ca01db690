import type { AccessTokenService } from './accessTokens'
import type { ServerClock } from './clock'
import type { RefreshCookie } from './cookies'
import type { ResolvedEndpoints } from './endpoints'
import type { FaultControl } from './faults'
import type { ResolvedOptions } from './options'
import type { SessionStore } from './sessions'
import type { TodoStore } from './todos'
import type { MockStats } from './types'
import type { UserStore } from './users'

/** Everything the handlers of one server share. */
export interface ServerContext {
  readonly options: ResolvedOptions
  readonly endpoints: ResolvedEndpoints
  readonly refreshCookie: RefreshCookie
  readonly clock: ServerClock
  readonly faults: FaultControl
  readonly stats: MockStats
  readonly users: UserStore
  readonly sessions: SessionStore
  readonly accessTokens: AccessTokenService
  readonly todos: TodoStore
}
