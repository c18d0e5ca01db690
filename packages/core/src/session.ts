import { isSessionExpiredError, loggedOut, SessionExpiredError } from './errors'
import { outdated, type Clock, type Effects, type SessionEvent, type SessionState, type TabMessage } from './state'
import { toTokenSet, type Session } from './tokens'

// How many access tokens a session remembers it has replaced, to tell a late 401 of its own from another's.
const EARLIER_TOKENS_KEPT = 8
const BACKOFF_BASE_MS = 1000
const BACKOFF_MAX_MS = 60_000

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
      // Taken from an open tab, it is a continuation of its session (no event, no request), kept here too.
      if (event.joined && session) effects.persist = session
      // Ordered after its stamp (stored or answered), so older news still on its way cannot put back spent tokens.
      if (session && event.at! <= now) next.news = next.at = Math.max(next.news, event.at!)
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
