import { isSessionExpiredError, loggedOut, SessionExpiredError, type AuthError } from './errors'
import { toTokenSet, type Session, type TokenSet } from './tokens'

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
  /** Storage answered: its valid session, or `corrupt` for a record to remove. */
  | { type: 'read'; session?: Session; corrupt?: boolean }
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

/** What a transition asks of the world, in this order. */
export interface Effects {
  /** Write the session, or (null) clear storage. */
  persist?: Session | null
  /** Tell the other tabs. */
  publish?: TabMessage
  /** Move the refresh timer: the session, its expiry or the backoff changed. */
  schedule?: true
  /** Tell the `on()` listeners. */
  emit?: 'login' | 'refresh' | 'logout' | 'sessionExpired' | 'error'
  /** End on the server a session this client does not keep. */
  revoke?: { accessToken?: string; refreshToken?: string }
  /** Ask the HttpOnly cookie for a session. */
  restore?: true
  /** Stop timers, channel, listeners and storage waits. */
  stop?: true
}

type Result = [SessionState, Effects]

// How many access tokens a session remembers it has replaced, to tell a late 401 of its own from another's.
const EARLIER_TOKENS_KEPT = 8
const BACKOFF_BASE_MS = 1000
const BACKOFF_MAX_MS = 60_000

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

/** `patch` applied; once destroyed, the phase stays so. */
const to = (state: SessionState, patch: Partial<SessionState>): SessionState => ({
  ...state,
  ...patch,
  phase: state.phase === 'destroyed' ? 'destroyed' : (patch.phase ?? state.phase),
})

/** A new epoch, with a session (a login) or without (an end): work of the old one is stale, its backoff gone. */
const epoch = (state: SessionState, session: Session | null, patch?: Partial<SessionState>) =>
  to(state, { phase: session ? 'active' : 'ended', session, epoch: state.epoch + 1, failure: undefined, ...patch })

/** A session that goes on (a refresh, made here or heard): the tokens it replaced stay known as its own. */
function refreshed(state: SessionState, session: Session, patch?: Partial<SessionState>, publish?: TabMessage): Result {
  const prior = state.session
  if (prior) session = { ...session, earlier: [prior.accessToken, ...(prior.earlier ?? [])].slice(0, EARLIER_TOKENS_KEPT) }
  const next = to(state, { phase: 'active', session, failure: undefined, ...patch })
  return [next, { persist: session, publish, schedule: true, emit: 'refresh' }]
}

/** The end of a session: storage cleared, and listeners told if there was one. */
const ended = (state: SessionState, next: SessionState, emit: 'logout' | 'sessionExpired', publish?: TabMessage): Result => [
  next,
  { persist: null, publish, schedule: true, emit: state.session ? emit : undefined },
]

/**
 * The stamp of news made here now: never older than what this tab knows (a message still on its way cannot
 * undo it), and, in the millisecond of this epoch's own stamp, after it in the tie-break too.
 */
function stamp(state: SessionState, { now, random }: Clock) {
  const at = Math.max(state.news, now)
  return { at, tie: at > state.at ? random : state.tie + random, news: at }
}

/** Whether news stamped `at`/`tie` is older than what this tab knows: a boundary (login, end) orders by epoch. */
const isOld = (state: SessionState, boundary: boolean, at: number, tie: number) =>
  at < (boundary ? state.at : state.news) || (boundary && at === state.at && tie <= state.tie)

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

/**
 * The one door state goes through: the next state and the effects to run, for an event and the clock of its
 * moment. Pure, so every race is a row of a table (session.test.ts).
 */
export function transition(state: SessionState, event: SessionEvent & Clock): Result {
  const { now } = event
  // Stamps ahead of this clock mean it was set back: they can order nothing any more.
  if (state.news > now) state = { ...state, news: 0, at: 0 }
  switch (event.type) {
    case 'read': {
      const { session } = event
      // A login, setTokens or logout (here or in another tab) while storage was read won over what it held; a
      // logout made here ends that, as it would have if read first.
      if (state.phase !== 'reading') {
        return [state, state.revokeStored && session ? { revoke: session, emit: state.session ? undefined : 'logout' } : {}]
      }
      if (session) return [to(state, { phase: 'active', session }), { schedule: true }]
      const effects: Effects = event.corrupt ? { persist: null, schedule: true } : { schedule: true }
      if (state.cookie) return [to(state, { phase: 'restoring' }), { ...effects, restore: true }]
      return [to(state, { phase: 'ended' }), effects]
    }

    case 'login': {
      const { session } = event
      // A logout after login() was called wins, as it does over a refresh; the server's session is ended too.
      if (!session || (event.since && outdated(state, event.since))) return [state, { revoke: session }]
      const next = stamp(state, event)
      const publish = { tokens: toTokenSet(session), login: true, at: next.at, tie: next.tie }
      return [epoch(state, session, next), { persist: session, publish, schedule: true, emit: 'login' }]
    }

    case 'refreshed': {
      const { session } = event
      if (event.epoch !== state.epoch) {
        // Its session ended while it was out, so the server holds a session nobody keeps: end it there too,
        // also after a logout and a new login (not in cookie mode: that would clear the new login's cookie).
        const revoke = !state.session || (state.logout[0] > event.epoch && !state.cookie)
        return [state, revoke ? { revoke: session } : {}]
      }
      const next = stamp(state, event)
      return refreshed(state, session, { news: next.at }, { tokens: toTokenSet(session), login: false, at: next.at, tie: next.tie })
    }

    case 'failed': {
      const { error } = event
      // A failure of a session that is gone says nothing of the next, like its success would.
      if (event.epoch !== state.epoch) return [state, {}]
      if (!isSessionExpiredError(error)) {
        const window = Math.min(state.failure ? state.failure.window * 2 : BACKOFF_BASE_MS, BACKOFF_MAX_MS)
        const phase = state.phase === 'restoring' ? 'unknown' : state.phase
        return [to(state, { phase, failure: { error, until: now + window, window } }), { schedule: true, emit: 'error' }]
      }
      // Only a session that existed can expire (a cookie-mode restore that finds no cookie is not one).
      if (!state.session) return [to(state, { phase: 'ended' }), { schedule: true }]
      const next = stamp(state, event)
      return ended(state, epoch(state, null, { ...next, ended: error }), 'sessionExpired', { ended: 'expired', at: next.at, tie: next.tie })
    }

    case 'logout': {
      const next = stamp(state, event)
      const revokeStored = state.revokeStored || (state.phase === 'reading' && !state.cookie)
      const logout: [number, number] = [state.epoch + 1, Infinity]
      const [after, effects] = ended(state, epoch(state, null, { ...next, logout, revokeStored, ended: loggedOut() }), 'logout', {
        ended: 'logout',
        at: next.at,
        tie: next.tie,
      })
      // In cookie mode the server clears the HttpOnly cookie even when no session is known here.
      return [after, { ...effects, revoke: state.session ?? (state.cookie ? {} : undefined) }]
    }

    case 'heard': {
      const { message, session } = event
      const { at } = message
      const boundary = 'ended' in message || !!message.login
      if (typeof at === 'number') {
        const tie = Number(message.tie) || 0
        if (isOld(state, boundary, at, tie)) return [state, {}]
        state = { ...state, news: Math.max(state.news, at), ...(boundary && { at, tie }) }
      }
      if ('ended' in message) {
        if (message.ended !== 'logout') {
          return ended(state, epoch(state, null, { ended: new SessionExpiredError('Session ended in another tab') }), 'sessionExpired')
        }
        const logout: [number, number] = [state.epoch + 1, typeof at === 'number' ? at : now]
        return ended(state, epoch(state, null, { logout, ended: loggedOut('Logged out in another tab') }), 'logout')
      }
      const current = state.session
      // Another tab's refresh starts nothing here (this tab ended that session, or never had it), and tokens
      // this session has, or has refreshed past (news that came late), change nothing.
      const known = current && [current.accessToken, ...(current.earlier ?? [])].includes(session?.accessToken as string)
      if (!session || known || (message.login === false && !current)) return [state, {}]
      // Its login starts a new session here too, so this tab's refresh of the old one is discarded when it lands.
      if (message.login || !current) return [epoch(state, session), { persist: session, schedule: true, emit: 'login' }]
      return refreshed(state, session)
    }

    case 'destroy':
      return [{ ...state, phase: 'destroyed' }, { stop: true }]
  }
}

/** The state and its one door, as the parts around the session see them. */
export interface Core {
  state: SessionState
  /** Runs the transition and its effects; resolves once a revocation or restore it started is done. */
  dispatch(event: SessionEvent): Promise<void> | undefined
  /** Renders the snapshot again (the refresh engine's `refreshing` changed). */
  render(): void
}
