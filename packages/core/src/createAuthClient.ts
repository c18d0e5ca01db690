import { createEndpoints } from './endpoints'
import { isSessionExpiredError, loggedOut } from './errors'
import { createAuthFetch } from './fetch'
import { createPersistence, isThenable } from './persistence'
import { createPolicy } from './policy'
import { createRefresh } from './refresh'
import { createScheduler, MAX_DELAY } from './scheduler'
import { transition } from './session'
import { dueAt, initialState, outdated, snapshot, type Core, type TabMessage } from './state'
import { memoryStorage } from './storage/memoryStorage'
import { createEmitter, createStore } from './store'
import { createTabs } from './tabs'
import { sameUser, toSession, toTokenSet, type Claims, type TokenSet } from './tokens'
import type { AuthClient, AuthClientOptions, AuthEvents, AuthState } from './types'
import { readOptions } from './readOptions'
import { endpointURL } from './urls'

const noop = () => undefined

/** The client: its options checked, its parts made and wired to one session (session.ts), its public face. */
export function createAuthClient<User = Claims, Credentials = unknown>(options: AuthClientOptions<Credentials>): AuthClient<User, Credentials> {
  const { now, timeoutMs, leewayMs, statusCodes, cookieMode, inBrowser, crossTab, transport, server, bound, key, resolve, allowed, needsRefreshToken } =
    readOptions(options as AuthClientOptions<never>)

  const store = createStore<AuthState<User>>({ ...(snapshot(initialState(cookieMode)) as AuthState<User>), refreshing: false })
  const events = createEmitter<AuthEvents<User>>()
  const report = (error: AuthEvents['error']) => events.emit('error', error)
  const endpoints = createEndpoints(options as AuthClientOptions<never>, endpointURL(server), allowed, transport, report, timeoutMs)

  /** Tokens validated as this client keeps them. In cookie mode no script may ever hold the refresh token. */
  function accept(tokens: unknown) {
    const next = toSession(cookieMode ? { ...(tokens as object), refreshToken: undefined } : tokens, now(), leewayMs)
    // Without a refresh token (tokens handed over by setTokens) there is nothing to refresh early with: the
    // token is used until it expires, and only then does the session end.
    if (needsRefreshToken && !next.refreshToken) next.staleAt = next.expiresAt ?? Infinity
    return next
  }
  /** Tokens from a stranger (storage, another tab), validated; undefined when corrupt or planted, and ignored then. */
  const valid = (tokens: unknown) => {
    try {
      return accept(tokens)
    } catch {}
  }

  const core: Core = {
    state: initialState(cookieMode),
    now,
    dispatch(event) {
      const [state, effects] = transition(core.state, { ...event, now: now(), random: Math.random() })
      const { emit } = effects
      core.state = state
      if ('persist' in effects) persistence.write(effects.persist!)
      if (effects.publish) tabs.publish(effects.publish)
      core.render()
      scheduler.update()
      const shown = store.get()
      if (emit) events.emit(emit, { login: shown, refresh: shown, error: state.failure?.error, sessionExpired: state.ended }[emit as 'login'] as never)
      // destroy(): no timer, channel, listener or storage wait is left behind.
      if (effects.stop) for (const stop of [persistence.destroy, scheduler.stop, tabs.close, events.clear]) stop()
      return effects.revoke ? endpoints.logout(effects.revoke) : effects.restore && restore()
    },
    render: () => store.set({ ...(snapshot(core.state) as AuthState<User>), refreshing: !!engine.current() }),
  }

  const persistence = createPersistence(options.storage ?? memoryStorage(), key, bound, timeoutMs, () => core.state, report)
  /** Another tab's news, or (unstamped) what it stored. */
  const heard = (message: TabMessage) => core.dispatch({ type: 'heard', message, session: valid((message as { tokens?: unknown }).tokens) })
  /** What this tab tells a tab that joins: the session it holds (as a refresh message says it), stamped. */
  const held = ({ session, news } = core.state) => (session ? { tokens: toTokenSet(session), at: news } : undefined)
  const tabs = createTabs(key, crossTab, Math.min(timeoutMs + 1000, MAX_DELAY), heard, held)
  // A tab starts by asking the open tabs for their session: memory storage feels persistent across tabs and
  // reloads, and a tab whose stored pair another tab has rotated since takes the newer one.
  const joining = tabs.join()
  const engine = createRefresh(core, {
    needsRefreshToken,
    request: endpoints.refresh,
    accept,
    // Under the lock, after the open tabs' answer to this tab's start: what another tab did is taken before this
    // tab decides to refresh, from the messages it posted before it let the lock go (without a channel, from
    // shared storage, which cannot tell another tab's login from its refresh).
    exclusive: (task) =>
      tabs.exclusive(async () => {
        await joining
        const stored = crossTab && !(await tabs.flush()) && (await persistence.shared())
        if (stored) heard({ tokens: stored })
        return task()
      }),
  })
  /** Cookie mode: one silent refresh tells whether the HttpOnly cookie holds a session (the session decides). */
  const restore = () => engine.refresh().catch(noop)
  /** What a request with no session waits for first: storage being read, or the cookie session restored. */
  const loading = ({ phase } = core.state) => (phase === 'reading' ? ready : phase === 'restoring' || phase === 'unknown' ? restore() : undefined)
  const policy = createPolicy(core, engine, allowed, (url) => endpoints.isAuthEndpoint(resolve(url)), loading, statusCodes)
  const scheduler = createScheduler(options.autoRefresh ?? inBrowser, now, () => dueAt(core.state), () => engine.refresh())

  /**
   * Storage answered. With no session stored, the open tabs' answer decides (part of `ready`); with one, it is
   * taken at once, and a newer pair a tab holds follows as its news would: a refresh of the same user's
   * session, or another user's login there that this tab did not hear. What it starts (a cookie-mode restore)
   * is handed on unawaited, so that `taken` settles as soon as the session is known.
   */
  function onRead(stored: unknown, record = persistence.own(stored), session = valid(record)) {
    const corrupt = record !== null && !session
    if (session || !joining) {
      const started = core.dispatch({ type: 'read', session, corrupt, at: Number(record && record.at) })
      void joining?.then((take, answer = take()) => answer && heard({ ...answer, login: !sameUser(valid(answer.tokens), session) }))
      return { started }
    }
    return joining.then((take, answer = take()) => ({
      started: core.dispatch({ type: 'read', session: valid(answer?.tokens), corrupt, at: Number(answer?.at), joined: true }),
    }))
  }
  const read = persistence.read()
  const taken = isThenable(read) ? read.then(onRead) : Promise.resolve(onRead(read))
  const ready = taken.then(({ started }) => started) as Promise<void>

  return {
    async login(credentials) {
      const since: [number, number] = [core.state.epoch, now()]
      await ready
      // Cookie mode: a refresh still out, here or in another tab, would set its cookie after the login's and put
      // the old session back (or clear the new one): the login goes out after it, under the refresh lock.
      if (cookieMode) await engine.wire()?.catch(noop)
      const answer = await (cookieMode ? tabs.exclusive(() => endpoints.login(credentials)) : endpoints.login(credentials))
      // A logout since login() was called wins over it (and malformed tokens are then not worth an error).
      const session = outdated(core.state, since) ? valid(answer) : accept(answer)
      // Stamped when answered, like what storage and the cookie jar keep: of two logins in two tabs, the one
      // answered last is every tab's session.
      const revoked = core.dispatch({ type: 'login', session, since })
      if (core.state.session !== session) {
        await revoked
        throw loggedOut('Logged out during the login')
      }
      return store.get()
    },
    logout: async () => void (await core.dispatch({ type: 'logout' })),
    // A session that ended reads as none; a failure (an expired token that could not be refreshed) rejects.
    getAccessToken: () => ready.then(policy.freshToken).catch((error: unknown) => (isSessionExpiredError(error) ? null : Promise.reject(error))),
    // Until storage (or, with nothing stored, the open tabs) answered there is no session to refresh yet: ask once
    // there is, so a cookie-mode restore that follows (itself a refresh) is joined rather than repeated.
    refresh: () => (core.state.phase === 'reading' ? taken.then(() => engine.refresh()) : engine.refresh()),
    // A token set as tokenrail keeps it, or a server's answer as parseTokens reads it.
    setTokens: (tokens) =>
      void core.dispatch({ type: 'login', session: accept(typeof (tokens as TokenSet)?.accessToken === 'string' ? tokens : endpoints.parseTokens(tokens)) }),
    getState: store.get,
    subscribe: store.subscribe,
    on: events.on,
    fetch: createAuthFetch(policy, transport, resolve, allowed),
    policy,
    options: options as AuthClientOptions,
    ready,
    destroy: () => void core.dispatch({ type: 'destroy' }),
  }
}
