import { createEndpoints, defaultParseTokens, type AuthRequests } from './endpoints'
import { AuthError, isSessionExpiredError, loggedOut, SessionExpiredError } from './errors'
import { createAuthFetch } from './fetch'
import { createPolicy } from './policy'
import { createRefreshEngine } from './refresh'
import { createScheduler, MAX_DELAY } from './scheduler'
import { memoryStorage } from './storage/memoryStorage'
import type { StoredTokens, TokenStorage } from './storage/TokenStorage'
import { createEmitter, createStore } from './store'
import { createTabs, type TabMessage } from './tabs'
import { toSession, toTokenSet, type Claims, type Session, type TokenSet } from './tokens'
import type { AuthClient, AuthClientOptions, AuthEvents, AuthState } from './types'
import { allowlist, authServer, endpointURL, parseBaseURL, urlResolver } from './urls'

// How many access tokens a session remembers it has replaced, to tell a late 401 of its own from another's.
const EARLIER_TOKENS_KEPT = 8

const isThenable = (value: unknown): value is Promise<unknown> => typeof (value as Promise<unknown>)?.then === 'function'

/** A duration option: NaN, Infinity or a value out of `min`..`max` would spin a timer or never fire it. */
function duration(name: string, value: number, unit: string, min: number, max = Infinity): number {
  if (!(value >= min && value <= max && Number.isFinite(value))) {
    throw new TypeError(`tokenrail: ${name} must be a number of ${unit}, ${max < Infinity ? `from ${min} to ${max}` : `at least ${min}`}`)
  }
  return value
}

export function createAuthClient<User = Claims, Credentials = unknown>(options: AuthClientOptions<Credentials>): AuthClient<User, Credentials> {
  const now = options.now ?? Date.now
  // setTimeout takes a longer delay for 1 ms.
  const timeoutMs = duration('timeout', options.timeout ?? 10_000, 'milliseconds', 1, MAX_DELAY)
  const leewayMs = duration('refreshLeeway', options.refreshLeeway ?? 30, 'seconds', 0) * 1000
  const statusCodes = options.statusCodes ?? [401]
  if (!Array.isArray(statusCodes)) throw new TypeError('tokenrail: statusCodes must be a list of HTTP statuses, like [401]')
  const cookieMode = options.refreshToken === 'cookie'
  const inBrowser = typeof document !== 'undefined'
  const crossTab = options.crossTab ?? (inBrowser && typeof BroadcastChannel !== 'undefined')
  const transport = () => options.fetch ?? globalThis.fetch

  const apiBase = parseBaseURL(options.baseURL)
  const server = authServer(apiBase)
  // Names this client's storage record, tab channel and lock: clients of two auth servers never share them.
  const key = `tokenrail:${server}`
  const resolve = urlResolver(apiBase)
  const allowed = allowlist(options.allowedOrigins, apiBase, resolve)

  const store = createStore<AuthState<User>>({ status: 'loading', user: null, accessToken: null, expiresAt: null, refreshing: false })
  const events = createEmitter<AuthEvents<User>>()
  let storage: TokenStorage = options.storage ?? memoryStorage()
  let session: Session | null = null
  let pendingWrite: Promise<void> | undefined
  let loading: Promise<void> | null = null
  // The async storage read of hydrate(). restore() is its first reaction, so anything chained on it later
  // runs right after the stored session was taken (see refresh below).
  let storageRead: Promise<unknown> = Promise.resolve()
  let ended = loggedOut('Not logged in')
  // This tab's logout() calls, and when another tab last logged out: a login called before either is dropped.
  let logouts = 0
  let heardLogoutAt = -Infinity
  // A logout reached this client before storage answered: the session storage holds is revoked once read.
  let revokeWhenRead = false
  // Cookie mode: whether the HttpOnly cookie holds a session is not known yet (a restore failed, not refused).
  let cookieUnknown = false
  let destroyed = false
  /** Storage reads and writes still unanswered: each settles at its timeout, or at once on destroy(). */
  const unanswered = new Set<() => void>()

  const parseTokens = options.parseTokens ?? defaultParseTokens
  const endpoints = createEndpoints(
    {
      url: endpointURL(server),
      allowed,
      transport,
      parseTokens,
      refused: options.refused ?? (({ status }) => status === 400 || status === 401),
      report: (error) => events.emit('error', error),
      cookieMode,
      timeoutMs,
    },
    options.endpoints,
    options.requests as AuthRequests | undefined,
  )
  // Only a refresh builder of the app's can refresh a session without a refresh token (with the access token).
  const needsRefreshToken = !cookieMode && !options.requests?.refresh

  // Storage that throws (quota, private mode, no window) must not take the session down: keep it in memory.
  function fallBack(cause: unknown) {
    // A destroyed client leaves the storage to whoever comes next (a new client on the same storage).
    if (destroyed) return
    // What the failing storage still holds may be a pair this client has since rotated: a reload or a new tab
    // would spend that refresh token again, which a rotating server takes for theft. Try to remove it.
    const failing = storage
    try {
      Promise.resolve(failing.clear(key)).catch(() => undefined)
    } catch {
      // nothing more can be done with a storage that fails on every call
    }
    storage = memoryStorage()
    if (session) storage.set(record(session), key)
    queueMicrotask(() => events.emit('error', new AuthError('Token storage failed: kept in memory', { code: 'storage', cause })))
  }

  /** An async storage's answer, bounded: a storage that never answers fails like one that throws. */
  const answered = (result: Promise<unknown>) =>
    new Promise((resolve, reject) => {
      const done = () => {
        clearTimeout(timer)
        unanswered.delete(fail)
      }
      const fail = () => {
        done()
        reject(new AuthError('Token storage did not answer', { code: 'storage' }))
      }
      const timer = setTimeout(fail, timeoutMs)
      unanswered.add(fail)
      result.then(resolve, reject).finally(done)
    })

  /** What is stored: the tokens, bound to the auth server they came from. */
  const record = (next: Session): StoredTokens => ({ ...toTokenSet(next), server })

  /** Whether a stored record is this client's: bound to its auth server. */
  const isOwn = (stored: unknown) => (stored as StoredTokens | null)?.server === server

  // Writes run in order, so with an async storage the last state written is the last state the client had.
  function persist(next: Session | null) {
    const write = () => {
      try {
        const result = next ? storage.set(record(next), key) : storage.clear(key)
        if (isThenable(result)) return answered(result).then(() => undefined, fallBack)
      } catch (cause) {
        fallBack(cause)
      }
    }
    pendingWrite = pendingWrite ? pendingWrite.then(write) : write()
  }

  // In cookie mode no script may ever hold the refresh token, whatever a server or another tab sends.
  function accept(tokens: unknown) {
    const next = toSession(cookieMode ? { ...(tokens as object), refreshToken: undefined } : tokens, now(), leewayMs)
    // Without a refresh token (tokens handed over by setTokens) there is nothing to refresh early with: the
    // token is used until it expires, and only then does the session end.
    if (needsRefreshToken && !next.refreshToken) next.staleAt = next.expiresAt ?? Infinity
    return next
  }

  /** Replaces the session everywhere it is reflected: snapshot, storage, timer, other tabs. */
  function setSession(next: Session | null, tell?: TabMessage, save = true) {
    session = next
    store.set({
      status: next ? 'authenticated' : 'unauthenticated',
      user: (next?.user ?? null) as User | null,
      accessToken: next?.accessToken ?? null,
      expiresAt: next?.expiresAt ?? null,
    })
    if (save) persist(next)
    if (tell) tabs.publish(tell)
    scheduler.update()
  }

  /** Takes a new session (login, setTokens, refresh, another tab) and tells whoever should hear. */
  function adopt(next: Session, event: 'login' | 'refresh', tell = true) {
    cookieUnknown = false
    if (event === 'login') engine.reset()
    // A refresh continues the session: the tokens it replaced stay known as this session's (late 401s).
    else if (session) next.earlier = [session.accessToken, ...(session.earlier ?? [])].slice(0, EARLIER_TOKENS_KEPT)
    setSession(next, tell ? { tokens: toTokenSet(next), login: event === 'login' } : undefined)
    events.emit(event, store.get())
    return next
  }

  function end(event: 'logout' | 'sessionExpired', error: SessionExpiredError, tell?: TabMessage) {
    cookieUnknown = false
    const last = session
    ended = error
    engine.reset(event === 'logout')
    setSession(null, tell)
    if (last) events.emit(event, (event === 'logout' ? undefined : error) as never)
    return last
  }

  const engine = createRefreshEngine({
    now,
    session: () => session,
    cookieMode,
    needsRefreshToken,
    request: endpoints.refresh,
    adopt(tokens) {
      try {
        // A server that does not rotate answers without a refresh token: the current one stays valid (and
        // without an ID token, the session's user stays who the last one said).
        return adopt(accept({ ...tokens, refreshToken: tokens.refreshToken ?? session?.refreshToken, idToken: tokens.idToken ?? session?.idToken }), 'refresh')
      } catch (cause) {
        throw new AuthError('The refresh answered invalid tokens', { cause })
      }
    },
    // A refresh answered after a logout started a session the server still holds (and in cookie mode its
    // cookie landed after the logout's): end it there too. In cookie mode a session here now is a newer login,
    // whose cookie that revocation would clear.
    discard: (tokens, afterLogout) => void ((!session || (afterLogout && !cookieMode)) && revoke(tokens)),
    expire: (error) => void end('sessionExpired', error, { ended: 'expired' }),
    failed: (error) => events.emit('error', error),
    refreshing: (refreshing) => store.set({ refreshing }),
    exclusive: (task) => tabs.exclusive(() => pullShared().then(task)),
  })

  // What requests wait for before asking for a token: storage being read, or the cookie session being restored.
  const pendingLoad = () => loading ?? (cookieUnknown ? (loading = restoreFromCookie()) : null)

  const policy = createPolicy(
    { now, session: () => session, loading: pendingLoad, resolve, allowed, isAuthEndpoint: endpoints.isAuthEndpoint, ended: () => ended, statusCodes },
    engine,
  )

  const scheduler = createScheduler({
    enabled: options.autoRefresh ?? inBrowser,
    now,
    dueAt: () => (session ? Math.max(session.staleAt, engine.retryAt()) : cookieUnknown ? engine.retryAt() : Infinity),
    run: () => (session ? engine.refresh().then(() => undefined) : restoreFromCookie()),
  })

  const tabs = createTabs({
    enabled: crossTab,
    name: key,
    lockTimeoutMs: Math.min(timeoutMs + 1000, MAX_DELAY),
    now,
    // Another tab logged in, refreshed or ended its session: follow it without telling the others again.
    received(message, at) {
      if ('tokens' in message) return follow(message.tokens, message.login)
      const logout = message.ended === 'logout'
      if (logout) heardLogoutAt = Math.max(heardLogoutAt, at)
      const error = logout ? loggedOut('Logged out in another tab') : new SessionExpiredError('Session ended in another tab')
      end(logout ? 'logout' : 'sessionExpired', error)
    },
  })

  /**
   * Takes tokens another tab produced. Its login (or setTokens) starts a new session here too, so a refresh of
   * the old session still on the wire from this tab is discarded when it lands, instead of overwriting it.
   */
  function follow(tokens: unknown, login?: boolean) {
    // Another tab's refresh starts nothing here: this tab ended that session, or never had it.
    if (login === false && !session) return
    try {
      const next = accept(tokens)
      // Tokens this session has, or has refreshed past (news that came late), change nothing.
      if (next.accessToken === session?.accessToken || session?.earlier?.includes(next.accessToken)) return
      adopt(next, login || !session ? 'login' : 'refresh', false)
    } catch {
      // a malformed message is ignored like any other input from a stranger
    }
  }

  // Under the lock: what another tab did is adopted before this tab decides to refresh. The channel says it,
  // login or refresh, in messages posted before that tab let the lock go. Only without a channel is shared
  // storage read instead: it cannot tell another tab's login from its refresh.
  async function pullShared() {
    if (!crossTab || (await tabs.flush())) return
    await pendingWrite
    try {
      const stored = await answered(Promise.resolve(storage.get(key)))
      if (isOwn(stored)) follow(stored)
    } catch {
      // unreadable storage: refresh with what this tab has
    }
  }

  function restore(read: unknown) {
    // A record bound to another auth server (two clients given one key) is that client's: neither adopted nor
    // removed. Anything else that is not this client's own record is removed below.
    const stored = typeof (read as StoredTokens | null)?.server === 'string' && !isOwn(read) ? null : read
    loading = null
    if (destroyed) return
    // A login, setTokens or logout (here or in another tab) while storage was being read wins over what it held:
    // each of them already settled the status.
    if (store.get().status !== 'loading') {
      // A logout made here before storage answered ends what storage held, as it would have if read first.
      const revoked = revokeWhenRead && isOwn(stored) ? revoke(stored) : undefined
      if (revoked && !session) events.emit('logout', undefined as never)
      return revoked
    }
    try {
      if (stored != null) {
        if (!isOwn(stored)) throw stored
        return setSession(accept(stored), undefined, false)
      }
    } catch {
      persist(null) // corrupt or planted: remove it, and read as logged out
    }
    if (!cookieMode) return setSession(null, undefined, false)
    return (loading = restoreFromCookie())
  }

  /**
   * Cookie mode: the refresh token is in an HttpOnly cookie; one silent refresh tells whether a session exists.
   * Only a refusal says there is none. Any other failure leaves the question open: it is asked again after the
   * backoff window, by the timer or by the next request that could carry a token.
   */
  function restoreFromCookie(): Promise<void> {
    return engine.refresh().then(
      () => void (loading = null),
      (error: unknown) => {
        loading = null
        cookieUnknown = !isSessionExpiredError(error)
        if (!session) setSession(null, undefined, false)
      },
    )
  }

  /** Ends on the server a session this client will not keep, because a logout came first; undefined if invalid. */
  function revoke(tokens: unknown) {
    let dropped: Session
    try {
      dropped = accept(tokens)
    } catch {
      return // nothing valid to end
    }
    return endpoints.logout(dropped)
  }

  function hydrate(): Promise<void> {
    let stored: unknown
    try {
      stored = storage.get(key)
    } catch (cause) {
      fallBack(cause)
    }
    if (!isThenable(stored)) return Promise.resolve(restore(stored))
    storageRead = answered(stored)
    return (loading = storageRead.then(restore, (cause: unknown) => {
      fallBack(cause)
      return restore(null)
    }))
  }

  // A tab listens from the start, logged in or not: another tab's login must reach it even if it only fetches.
  tabs.open()
  const ready = hydrate()

  return {
    async login(credentials) {
      const logoutsBefore = logouts
      const calledAt = now()
      // A logout stamped ahead of this clock means the clock was set back: it orders nothing any more.
      if (heardLogoutAt > calledAt) heardLogoutAt = -Infinity
      await ready
      // Cookie mode: a refresh still out, here or in another tab, would set its cookie after the login's and put
      // the old session back (or clear the new one): the login goes out after it, under the refresh lock.
      if (cookieMode) await (loading ?? engine.onWire())?.catch(() => undefined)
      const answer = await (cookieMode ? tabs.exclusive(() => endpoints.login(credentials)) : endpoints.login(credentials))
      // A logout (here, or in another tab after login() was called) wins, as it does over a refresh, and the
      // session the server started for it is ended there too. The old session expiring meanwhile is no reason
      // to drop the new one, and neither is another tab's logout made before, whose message came late.
      if (logouts !== logoutsBefore || heardLogoutAt > calledAt) {
        await revoke(answer)
        throw loggedOut('Logged out during the login')
      }
      // Stamped when answered, like what storage and the cookie jar keep: of two logins in two tabs, the one
      // answered last is every tab's session.
      adopt(accept(answer), 'login')
      return store.get()
    },

    async logout() {
      logouts++
      const last = end('logout', loggedOut(), { ended: 'logout' })
      if (last || cookieMode) return endpoints.logout({ accessToken: last?.accessToken, refreshToken: last?.refreshToken })
      // Storage has not answered yet: what it holds is revoked when it does (`ready` settles after that).
      revokeWhenRead = !!loading
    },

    async getAccessToken() {
      await ready
      return policy.freshToken().catch((error: unknown) => {
        if (isSessionExpiredError(error)) return null
        throw error
      })
    },

    // Until storage answers there is no session to refresh yet: ask once it has, right after the stored session
    // is taken, so a cookie-mode restore that follows it (itself a refresh) is joined rather than repeated.
    refresh: () => (loading ? storageRead.then(() => engine.refresh(), () => engine.refresh()) : engine.refresh()),
    // A token set as tokenrail keeps it, or a server's answer as parseTokens reads it.
    setTokens: (tokens) =>
      void adopt(accept(typeof (tokens as TokenSet)?.accessToken === 'string' ? tokens : parseTokens(tokens)), 'login'),
    getState: store.get,
    subscribe: store.subscribe,
    on: events.on,
    fetch: createAuthFetch(policy, transport, resolve),
    policy,
    options: options as AuthClientOptions,
    ready,

    destroy() {
      destroyed = true
      // A storage still asked settles now: nothing waits for it, and no timer is left behind.
      unanswered.forEach((fail) => fail())
      scheduler.stop()
      tabs.close()
      events.clear()
    },
  }
}
