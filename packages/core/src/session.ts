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
 * moment. Pure (the state given is not changed), so every race is a row of a table (session.test.ts).
 */
export function transition(state: SessionState, event: SessionEvent & Clock): [SessionState, Effects] {
  const { now, random } = event
  const next = { ...state }
  const effects: Effects = {}
  // Stamps ahead of this clock mean it was set back: they can order nothing any more.
  if (next.news > now) next.news = next.at = 0

  /**
   * Tells the other tabs, stamped: never older than what this tab knows (a message still on its way cannot
   * undo it), and, in the millisecond of this epoch's own stamp, after it in the tie-break too.
   */
  function publish(message: TabMessage, boundary?: boolean) {
    const at = Math.max(next.news, now)
    const tie = at > next.at ? random : next.tie + random
    next.news = at
    if (boundary) {
      next.at = at
      next.tie = tie
    }
    effects.publish = { ...message, at, tie }
  }
  /** A new epoch, with a session (a login) or without (an end): work of the old one is stale, its backoff gone. */
  function begin(session: Session | null, emit: Effects['emit']) {
    next.epoch++
    next.session = session
    next.phase = session ? 'active' : 'ended'
    next.failure = undefined
    effects.persist = session
    if (session || state.session) effects.emit = emit
  }
  /** A session that goes on (a refresh, made here or heard): the tokens it replaced stay known as its own. */
  function refreshed(session: Session) {
    const prior = next.session
    next.session = prior ? { ...session, earlier: [prior.accessToken, ...(prior.earlier ?? [])].slice(0, EARLIER_TOKENS_KEPT) } : session
    next.phase = 'active'
    next.failure = undefined
    effects.persist = next.session
    effects.emit = 'refresh'
  }

  switch (event.type) {
    case 'read': {
      const { session } = event
      if (state.phase !== 'reading') {
        // A login, setTokens or logout (here or in another tab) while storage was read won over what it held;
        // a logout made here ends that, as it would have if read first.
        if (state.revokeStored && session) {
          effects.revoke = session
          if (!state.session) effects.emit = 'logout'
        }
        break
      }
      next.session = session ?? null
      next.phase = session ? 'active' : state.cookie ? 'restoring' : 'ended'
      if (event.corrupt) effects.persist = null
      if (!session && state.cookie) effects.restore = true
      break
    }

    case 'login': {
      const { session } = event
      // A logout after login() was called wins, as it does over a refresh; the server's session is ended too.
      if (!session || (event.since && outdated(state, event.since))) effects.revoke = session
      else {
        begin(session, 'login')
        publish({ tokens: toTokenSet(session), login: true }, true)
      }
      break
    }

    case 'refreshed':
      if (event.epoch === state.epoch) {
        refreshed(event.session)
        publish({ tokens: toTokenSet(event.session), login: false })
      } else if (!state.session || (state.logout[0] > event.epoch && !state.cookie)) {
        // Its session ended while it was out, so the server holds a session nobody keeps: end it there too,
        // also after a logout and a new login (not in cookie mode: that would clear the new login's cookie).
        effects.revoke = event.session
      }
      break

    case 'failed': {
      const { error } = event
      // A failure of a session that is gone says nothing of the next, like its success would.
      if (event.epoch !== state.epoch) break
      if (!isSessionExpiredError(error)) {
        const window = Math.min(state.failure ? state.failure.window * 2 : BACKOFF_BASE_MS, BACKOFF_MAX_MS)
        next.failure = { error, until: now + window, window }
        if (state.phase === 'restoring') next.phase = 'unknown'
        effects.emit = 'error'
      } else if (state.session) {
        begin(null, 'sessionExpired')
        next.ended = error
        publish({ ended: 'expired' }, true)
      } else {
        // Only a session that existed can expire (a cookie-mode restore that finds no cookie is not one).
        next.phase = 'ended'
      }
      break
    }

    case 'logout':
      begin(null, 'logout')
      next.ended = loggedOut()
      next.logout = [next.epoch, Infinity]
      next.revokeStored = state.revokeStored || (state.phase === 'reading' && !state.cookie)
      publish({ ended: 'logout' }, true)
      // In cookie mode the server clears the HttpOnly cookie even when no session is known here.
      effects.revoke = state.session ?? (state.cookie ? {} : undefined)
      break

    case 'heard': {
      const { message, session } = event
      const { at } = message
      const heardAt = typeof at === 'number' ? at : now
      const boundary = 'ended' in message || !!message.login
      if (typeof at === 'number') {
        const tie = Number(message.tie) || 0
        // Older than what this tab knows: a boundary (login, end) is ordered against this epoch's own stamp.
        if (at < (boundary ? next.at : next.news) || (boundary && at === next.at && tie <= next.tie)) return [next, effects]
        next.news = Math.max(next.news, at)
        if (boundary) {
          next.at = at
          next.tie = tie
        }
      }
      const current = state.session
      if ('ended' in message) {
        const logout = message.ended === 'logout'
        begin(null, logout ? 'logout' : 'sessionExpired')
        next.ended = logout ? loggedOut('Logged out in another tab') : new SessionExpiredError('Session ended in another tab')
        if (logout) next.logout = [next.epoch, heardAt]
      } else if (
        // Another tab's refresh starts nothing here (this tab ended that session, or never had it), and tokens
        // this session has, or has refreshed past (news that came late), change nothing.
        session &&
        !(message.login === false && !current) &&
        !(current && [current.accessToken, ...(current.earlier ?? [])].includes(session.accessToken))
      ) {
        // Its login starts a new session here too, so this tab's refresh of the old one is discarded when it lands.
        if (message.login || !current) begin(session, 'login')
        else refreshed(session)
      }
      break
    }

    case 'destroy':
      effects.stop = true
      next.phase = 'destroyed'
  }
  // Once destroyed, a late answer is still taken (and stored, for the next client), but the phase stays.
  if (state.phase === 'destroyed') next.phase = 'destroyed'
  return [next, effects]
}

/** The state and its one door, as the parts around the session see them. */
export interface Core {
  state: SessionState
  /** The client's clock. */
  now(): number
  /** Runs the transition and its effects; resolves once a revocation or restore it started is done. */
  dispatch(event: SessionEvent): Promise<void> | undefined
  /** Renders the snapshot again (the refresh engine's `refreshing` changed). */
  render(): void
}
