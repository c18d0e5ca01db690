import { AuthError, loggedOut, SessionExpiredError } from './errors'
import type { SessionTokens } from './types'
import { backedOff, type Core } from './state'
import { sameUser, type Session, type TokenResponse } from './tokens'

/** What the engine needs from the client around it. */
export interface RefreshContext {
  /** Whether a session needs a refresh token to be refreshed (not in cookie mode, nor with a refresh builder). */
  needsRefreshToken: boolean
  request(tokens: SessionTokens): Promise<TokenResponse>
  /** Validates tokens as the client keeps them; throws when they are not. */
  accept(tokens: unknown): Session
  /** Runs the refresh under the cross-tab lock, after taking what another tab did meanwhile. */
  exclusive<T>(task: () => Promise<T>): Promise<T>
}

export type RefreshEngine = ReturnType<typeof createRefresh>

// The session a refresh was for ended while it ran: a logout (here or in another tab), or a new login.
const ENDED_MEANWHILE = 'Session ended during the refresh'

/**
 * The one place a refresh starts. Every caller at the same moment (requests after a 401, requests about to
 * send a stale token, the timer, `refresh()`) shares one promise; during an outage every caller inside the
 * backoff window gets the last failure at once. Each flight belongs to the epoch it started in: its answer is
 * handed to the session, which keeps it only if that epoch is still the current one.
 */
export function createRefresh(core: Core, context: RefreshContext) {
  let flight: Promise<string> | undefined
  let flightEpoch = 0

  /** The refresh this epoch's callers share, if one is out; a refresh of an ended session is not theirs. */
  const current = () => (flightEpoch === core.state.epoch ? flight : undefined)

  async function attempt(started: Session | null, epoch: number): Promise<string> {
    const { session } = core.state
    // The session ended while this waited for the lock, or the client was destroyed: it sends nothing.
    if (core.state.epoch !== epoch || core.state.phase === 'destroyed') throw loggedOut(ENDED_MEANWHILE)
    // Another tab rotated the tokens while this one waited for the lock: take them rather than spend a refresh
    // token the server has already rotated away.
    if (session && session.accessToken !== started?.accessToken && session.staleAt > core.now()) return session.accessToken
    if (context.needsRefreshToken && !session?.refreshToken) throw new SessionExpiredError('No refresh token')
    const { accessToken, refreshToken, idToken } = session ?? {}
    const answer = await context.request({ accessToken, refreshToken })
    let next: Session
    try {
      // A server that does not rotate answers without a refresh token: the one sent stays valid; one that sends
      // no new ID token leaves the user who the last one said.
      const renewed = { ...answer, refreshToken: answer.refreshToken ?? refreshToken, idToken: answer.idToken ?? idToken }
      next = context.accept(renewed)
      // OpenID Connect Core §12.2: an ID token a refresh brings names the same issuer, user and audience. One that
      // does not is dropped, and the user stays who the session's said; the rotated tokens are kept, since the
      // server has already spent the refresh token this answer replaced.
      if (idToken && !sameUser(next, session)) {
        next = context.accept({ ...renewed, idToken })
      }
    } catch (cause) {
      throw new AuthError('Refresh answered invalid tokens', { cause })
    }
    const stale = core.state.epoch !== epoch
    core.dispatch({ type: 'refreshed', session: next, epoch })
    if (stale) throw loggedOut(ENDED_MEANWHILE)
    return next.accessToken
  }

  /** Resolves the new access token; rejects with the typed error every waiting caller shares. */
  function refresh(): Promise<string> {
    const { state } = core
    const shared = current()
    if (shared) return shared
    // In cookie mode the refresh token is invisible: a refresh with no session restores one from the cookie. A
    // destroyed client spends no refresh token: a new client on the same storage owns the session now.
    if ((!state.session && !state.cookie) || state.phase === 'destroyed') return Promise.reject(new SessionExpiredError('Not logged in'))
    const failure = backedOff(state, core.now())
    if (failure) return Promise.reject(failure)
    const { epoch, session } = state
    const run = () => context.exclusive(() => attempt(session, epoch))
    // A refresh of an ended session still on the wire goes first: one request at a time still leaves this
    // client, and nobody waits for the stale answer.
    const mine = (flight ? flight.then(run, run) : run()).catch((error: AuthError) => {
      const stale = core.state.epoch !== epoch
      core.dispatch({ type: 'failed', error, epoch })
      throw stale ? loggedOut(ENDED_MEANWHILE) : error
    })
    const done = () => {
      if (flight !== mine) return
      flight = undefined
      core.render()
    }
    flight = mine
    flightEpoch = epoch
    core.render()
    mine.then(done, done)
    return mine
  }

  /** Any refresh still on the wire, this epoch's or an ended one's (its answer still sets a cookie). */
  return { refresh, current, wire: () => flight }
}
