import { isSessionExpiredError } from './errors'
import type { RefreshEngine } from './refresh'
import { createRequest, type RequestAdapter } from './request'
import type { Core } from './state'
import { unlessAborted } from './timeout'
import type { Session } from './tokens'

/**
 * The per-request rules every adapter (auth.fetch, attachAxios, or one of your own) obeys. An adapter asks
 * `request` to run its requests, or asks the two questions below itself; it holds no rule of its own.
 */
export interface RequestPolicy {
  /**
   * The access token to send to `url`, or null (another origin, or logged out). Synchronous while the token is
   * fresh; a promise when it first waits for a refresh (one in flight, or the token is within the leeway).
   * Rejects with `SessionExpiredError` or `NetworkError` when the refresh it waited for did not give a token.
   */
  tokenFor(url: string | URL): string | null | Promise<string | null>
  /**
   * After an answer with `status` to a request sent to `url` with `sentToken`: the token to retry it with
   * once, or null to hand the answer to the caller as it is. A late 401 (for a token that is no longer the
   * current one) is retried with the current token without a refresh.
   * @param retried whether this answer is already the retry (a request is retried at most once)
   * @param statusCodes the statuses that mean "token refused"; 403 never does @default the client's `statusCodes`
   */
  retryWith(
    url: string | URL,
    status: number,
    sentToken: string | null,
    retried?: boolean,
    statusCodes?: readonly number[],
  ): Promise<string> | null
  /**
   * `wait` (a promise the two questions above handed out), unless the caller's `signal` aborts first: then at
   * once `reason()`, by default the signal's reason, as fetch rejects an aborted request.
   */
  unlessAborted<T>(wait: Promise<T>, signal?: AbortSignal | null, reason?: () => unknown): Promise<T>
  /**
   * Runs one request to `url` by these rules: `send(authorization)` sends it once with that `Authorization`
   * value (null: none of tokenrail's) and settles as the HTTP client does; `adapter` says what an answer is. A
   * refused token is refreshed and the request sent once more; `signal` aborts any wait at once. Call it as a
   * method: it asks `tokenFor` and `retryWith` of the policy it is called on.
   */
  request<T>(
    this: RequestPolicy,
    url: string,
    send: (authorization: string | null) => Promise<T>,
    adapter: RequestAdapter,
    signal?: AbortSignal | null,
  ): Promise<T>
}

/**
 * The policy of one client.
 * @param loading what a request with no session waits for first (storage read, or cookie session restored)
 * @param isAuthEndpoint whether a URL is one of the auth endpoints, whose 401s are never intercepted
 */
export function createPolicy(
  core: Core,
  engine: RefreshEngine,
  allowed: (url: string | URL) => boolean,
  isAuthEndpoint: (url: string | URL) => boolean,
  loading: () => Promise<unknown> | undefined,
  statusCodes: readonly number[],
) {
  const fresh = (session: Session | null): session is Session => !!session && session.staleAt > core.now()

  /** A token for a request about to go out: the current one while fresh, else what a refresh brings. */
  async function freshToken(): Promise<string | null> {
    // A caller joins the refresh out at the moment it asks: a logout meanwhile must reject it, not skip it.
    // A caller with no session joins nothing: while a cookie-mode session is being restored it waits, then
    // goes out with whatever that found, a token or none (an anonymous visitor's requests still work).
    const joined = core.state.session && engine.current()
    await loading()
    const { session } = core.state
    const flight = joined || engine.current()
    if (flight) return flight
    if (!session || fresh(session)) return session?.accessToken ?? null
    return engine.refresh().catch((error: unknown) => {
      // Inside the leeway the old token still works: a refresh that failed (not refused) must not stop a
      // request it could have served.
      const still = core.state.session
      if (!isSessionExpiredError(error) && still && still.expiresAt! > core.now()) return still.accessToken
      throw error
    })
  }

  return {
    freshToken,
    unlessAborted,
    request: createRequest(statusCodes),

    tokenFor(url: string | URL) {
      if (!allowed(url)) return null
      const { session } = core.state
      return fresh(session) && !engine.current() ? session.accessToken : freshToken()
    },

    retryWith(url: string | URL, status: number, sentToken: string | null, retried?: boolean, codes = statusCodes) {
      // A token never goes to an origin the allowlist does not name, whoever sent the first one there.
      if (retried || !sentToken || status === 403 || !codes.includes(status) || !allowed(url) || isAuthEndpoint(url)) return null
      const { session, ended } = core.state
      // The session this token belonged to is over: the caller learns it the same way as the waiters did.
      if (!session) return Promise.reject(ended)
      const late = session.accessToken !== sentToken
      // Sent for a session that has since ended (a logout and a new login meanwhile, maybe another user's): it
      // is never replayed with this session's token. The caller gets the answer as the server gave it.
      if (late && !session.earlier?.includes(sentToken)) return null
      return late && fresh(session) && !engine.current() ? Promise.resolve(session.accessToken) : engine.refresh()
    },
  }
}
