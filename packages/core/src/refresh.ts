import { isSessionExpiredError, loggedOut, SessionExpiredError, type AuthError } from './errors'
import type { SessionTokens } from './endpoints'
import type { Session, TokenResponse } from './tokens'

/** What the engine needs from the client around it. */
export interface RefreshContext {
  now(): number
  /** The current session, or null when logged out. */
  session(): Session | null
  /** Whether the refresh token lives in an HttpOnly cookie, out of the client's sight. */
  cookieMode: boolean
  /** Whether a session needs a refresh token to be refreshed (not in cookie mode, nor with a refresh builder). */
  needsRefreshToken: boolean
  request(tokens: SessionTokens): Promise<TokenResponse>
  /** Validates and takes a refreshed token set; throws (typed) when it is not one. */
  adopt(tokens: TokenResponse): Session
  /** Takes the answer of a refresh whose session ended while it was out (by a logout, or not): never adopted. */
  discard(tokens: TokenResponse, afterLogout: boolean): void
  /** Ends the session after the server refused it: clear, tell listeners and other tabs once. */
  expire(error: SessionExpiredError): void
  failed(error: AuthError): void
  refreshing(active: boolean): void
  /** Runs the refresh under the cross-tab lock, after adopting tokens another tab produced meanwhile. */
  exclusive<T>(task: () => Promise<T>): Promise<T>
}

export type RefreshEngine = ReturnType<typeof createRefreshEngine>

// The session a refresh was for ended while it ran: a logout (here or in another tab), or a new login.
const ENDED_MEANWHILE = 'The session ended during the refresh'
const BACKOFF_BASE_MS = 1000
const BACKOFF_MAX_MS = 60_000
const noop = () => undefined

/**
 * The one place a refresh starts. Every caller at the same moment (requests after a 401, requests about to
 * send a stale token, the timer, `refresh()`) shares one promise; during an outage every caller inside the
 * backoff window gets the last failure at once instead of a request of its own. A generation counter, moved
 * by every login and logout, lets a late answer know that its session is gone.
 */
export function createRefreshEngine(context: RefreshContext) {
  let flight: Promise<string> | null = null
  let flightGeneration = 0
  let generation = 0
  // The generation a logout started last: a refresh older than it was answered for a session logged out.
  let loggedOutAt = 0
  let failures = 0
  let retryAt = 0
  let windowMs = 0
  // Every caller until retryAt gets the last failure; retryAt is 0 when no failure is pending.
  let lastFailure: AuthError | undefined

  function clearBackoff() {
    failures = 0
    retryAt = 0
    lastFailure = undefined
  }

  function attempt(started: Session | null, own: number): Promise<string> {
    return context.exclusive(async () => {
      const current = context.session()
      if (generation !== own) throw loggedOut(ENDED_MEANWHILE)
      // Another tab rotated the tokens while this one waited for the lock: adopt them rather than spend a
      // refresh token the server has already rotated away.
      if (current && current.accessToken !== started?.accessToken && current.staleAt > context.now()) return current.accessToken
      if (context.needsRefreshToken && !current?.refreshToken) throw new SessionExpiredError('No refresh token')
      const answer = await context.request({ accessToken: current?.accessToken, refreshToken: current?.refreshToken })
      // Logout or a new login while the request was out wins: its answer belongs to a session that is gone.
      if (generation !== own) {
        context.discard(answer, loggedOutAt > own)
        throw loggedOut(ENDED_MEANWHILE)
      }
      return context.adopt(answer).accessToken
    })
  }

  function failed(error: AuthError, started: Session | null, own: number): never {
    // A failure of a session that is gone is discarded like its success would be: it says nothing of the next.
    if (generation !== own) throw loggedOut(ENDED_MEANWHILE)
    if (!isSessionExpiredError(error)) {
      windowMs = Math.min(BACKOFF_BASE_MS * 2 ** failures++, BACKOFF_MAX_MS)
      retryAt = context.now() + windowMs
      lastFailure = error
      context.failed(error)
      // Only a session that existed can expire (a cookie-mode restore that finds no cookie is not one).
    } else if (error.code !== 'logged_out' && started) context.expire(error)
    throw error
  }

  return {
    /** Resolves the new access token; rejects with the typed error every waiting caller shares. */
    refresh(): Promise<string> {
      if (flight && flightGeneration === generation) return flight
      const started = context.session()
      // In cookie mode the refresh token is invisible: a refresh with no session restores one from the cookie.
      if (!started && !context.cookieMode) return Promise.reject(new SessionExpiredError('Not logged in'))
      // A window longer than its own length means the clock was set back: it can no longer be measured.
      if (context.now() < retryAt && retryAt - context.now() <= windowMs) return Promise.reject(lastFailure)
      const own = generation
      // A refresh of a session that has since ended is still on the wire: this session's own refresh goes out
      // after it, so one request at a time still leaves this client, and nobody waits for the stale answer.
      const previous = flight?.then(noop, noop)
      const done = () => {
        if (flight !== current) return
        flight = null
        context.refreshing(false)
      }
      context.refreshing(true)
      flightGeneration = own
      const current = (previous ? previous.then(() => attempt(started, own)) : attempt(started, own)).then(
        (token) => {
          clearBackoff()
          return token
        },
        (error: AuthError) => failed(error, started, own),
      )
      flight = current
      current.then(done, done)
      return current
    },
    /** The refresh this session's callers share, if one is out; a refresh of an ended session is not theirs. */
    inFlight: () => (flightGeneration === generation ? flight : null),
    /** Any refresh still on the wire, this session's or an ended one's (its answer still sets a cookie). */
    onWire: () => flight,
    /** When the next attempt may go out (client clock); 0 when no failure is pending. */
    retryAt: () => retryAt,
    /** A new session (login, logout, another tab's): answers in flight are now stale, and backoff starts over. */
    reset(byLogout?: boolean) {
      generation++
      if (byLogout) loggedOutAt = generation
      clearBackoff()
      // A refresh still on the wire is no longer this session's: the snapshot stops saying it refreshes.
      context.refreshing(false)
    },
  }
}
