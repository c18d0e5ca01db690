import { loggedOut, type AuthError, type SessionExpiredError } from './errors'
import type { Session, TokenSet } from './tokens'

// What the session is (its phase, its epoch and the stamps that order news across tabs), what can happen to it,
// and what it asks of the world. The one door it changes through is `transition` (session.ts).

/**
 * Where the session stands. `reading`: storage has not answered yet. `restoring`: cookie mode asks the HttpOnly
 * cookie with one silent refresh. `unknown`: that failed for the network; asked again after the backoff.
 * `active`: a session. `ended`: none (logged out, expired, never begun). `destroyed`: `destroy()` was called;
 * a late answer is still taken (and stored, for the next client), but nothing is restored any more.
 */
export type Phase = 'reading' | 'restoring' | 'unknown' | 'active' | 'ended' | 'destroyed'

/** What one tab tells the others: its new tokens (`login`: they start a new session), or that its session ended. */
export type TabMessage = ({ tokens: TokenSet; login?: boolean } | { ended: 'logout' | 'expired' }) & {
  /** When the sender made it, on its clock (the same as ours in one browser), and a tie-break for one millisecond. */
  at?: unknown
  tie?: unknown
}

export interface SessionState {
  phase: Phase
  session: Session | null
  /** Moved by every login, logout and expiry, made here or heard: a refresh or login of another epoch is stale. */
  epoch: number
  /** When this epoch began (the stamp of its login, logout or expiry) and its tie-break. */
  at: number
  tie: number
  /** The newest stamp made or heard: older news still on its way cannot put back spent tokens. */
  news: number
  /** The epoch the last logout began, and when it was made (Infinity: in this tab). */
  logout: [epoch: number, at: number]
  /** Why the last session ended, for answers that arrive after it did. */
  ended: SessionExpiredError
  /** The last refresh failure: every caller until `until` gets it at once; the next window doubles. */
  failure?: { error: AuthError; until: number; window: number }
  /** Cookie mode: the refresh token is in an HttpOnly cookie, out of sight. */
  cookie: boolean
  /** A logout was made here before storage answered: what storage held is revoked once read. */
  revokeStored?: boolean
}

export type SessionEvent =
  /**
   * Storage answered: its valid session, or `corrupt` for a record to remove; or, with nothing stored, the
   * session an open tab holds (`joined`). `at`: the session's stamp, as stored or as that tab answered.
   */
  | { type: 'read'; session?: Session; corrupt?: boolean; at?: number; joined?: boolean }
  /** login() answered, or setTokens(); `since` is when login() was called: [epoch, time]. */
  | { type: 'login'; session?: Session; since?: [epoch: number, at: number] }
  | { type: 'refreshed'; session: Session; epoch: number }
  | { type: 'failed'; error: AuthError; epoch: number }
  | { type: 'logout' }
  /** Another tab's message (or, unstamped, its record in shared storage), with its tokens once validated. */
  | { type: 'heard'; message: TabMessage; session?: Session }
  | { type: 'destroy' }

/** The clock of the moment, and a random number for tie-breaks: the transition itself reads neither. */
export type Clock = { now: number; random: number }

/** What a transition asks of the world, run in this order (the snapshot and the refresh timer follow every one). */
export interface Effects {
  /** Write the session, or (null) clear storage. */
  persist?: Session | null
  /** Tell the other tabs. */
  publish?: TabMessage
  /** Tell the `on()` listeners. */
  emit?: 'login' | 'refresh' | 'logout' | 'sessionExpired' | 'error'
  /** End on the server a session this client does not keep. */
  revoke?: { accessToken?: string; refreshToken?: string }
  /** Ask the HttpOnly cookie for a session. */
  restore?: true
  /** Stop the timer, the channel, the listeners and storage waits. */
  stop?: true
}

export const initialState = (cookie: boolean): SessionState => ({
  phase: 'reading',
  session: null,
  epoch: 0,
  at: 0,
  tie: 0,
  news: 0,
  logout: [0, -Infinity],
  ended: loggedOut('Not logged in'),
  cookie,
})

/** Whether a logout came after a login called at `since`: made here since, or heard and made after that time. */
export const outdated = ({ logout: [epoch, at] }: SessionState, [sinceEpoch, calledAt]: [number, number]) =>
  epoch > sinceEpoch && at > calledAt

/** The failure a refresh asked for `now` gets at once; a window longer than its own length means the clock was set back. */
export const backedOff = ({ failure }: SessionState, now: number) =>
  failure && now < failure.until && failure.until - now <= failure.window ? failure.error : undefined

/** The public snapshot's view of the session (its `refreshing` is the engine's). */
export const snapshot = ({ phase, session }: SessionState) => ({
  status: session ? 'authenticated' : phase === 'reading' || phase === 'restoring' ? 'loading' : 'unauthenticated',
  user: session?.user ?? null,
  accessToken: session?.accessToken ?? null,
  expiresAt: session?.expiresAt ?? null,
})

/** When the refresh timer should look next (client clock); Infinity for never. */
export const dueAt = ({ session, phase, failure }: SessionState) =>
  session ? Math.max(session.staleAt, failure?.until ?? 0) : phase === 'unknown' ? (failure?.until ?? 0) : Infinity

/** The state and its one door, as the parts around the session see them. */
export interface Core {
  state: SessionState
  /** The client's clock. */
  now(): number
  /** Runs the transition and its effects; resolves once a revocation or restore it started is done. */
  dispatch(event: SessionEvent): Promise<unknown> | undefined
  /** Renders the snapshot again (the refresh engine's `refreshing` changed). */
  render(): void
}
