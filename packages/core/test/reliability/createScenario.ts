import { attachAxios } from '@tokenrail/core/axios'
import axios, { AxiosError, type AxiosResponse } from 'axios'
import { vi } from 'vitest'
import { createAuthClient, isAuthError, isSessionExpiredError, type AuthClient, type AuthClientOptions, type AuthState } from '../../src'
import { breakableStorage, clientStorage, STORAGE_KEY } from './breakableStorage'
import { API, createFakeAuthServer, type HeldRequest, type Outcome } from './fakeAuthServer'
import { createFakeTabs } from './fakeTabs'
import { createOtherTab } from './otherTab'
import { TARGET_URLS, type Action, type Setup } from './scenarioActions'
import { B64TOKEN, sameState, stateShapeProblem } from './stateShape'
import { transportAdapter } from './transportAdapter'

const START_TIME = Date.UTC(2027, 0, 1)
/** How long a new client waits for the open tabs to answer (tabs.ts). */
const JOIN_MS = 50

/** The auth calls as each wire writes them, through the `requests` builders (the fake server reads all three). */
const WIRES: Record<Setup['wire'], Partial<AuthClientOptions>> = {
  json: {},
  form: {
    requests: {
      login: (credentials) => ({ body: new URLSearchParams({ grant_type: 'password', ...(credentials as Record<string, string>) }) }),
      refresh: ({ refreshToken }) => ({ body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken! }) }),
      logout: ({ refreshToken }) => (refreshToken ? { body: new URLSearchParams({ token: refreshToken }) } : []),
    },
    refused: ({ body }) => (body as { error?: string } | undefined)?.error === 'invalid_grant',
  },
  bearer: {
    requests: {
      refresh: ({ refreshToken }) => ({ headers: { authorization: `Bearer ${refreshToken}` }, body: null }),
    },
  },
}

interface Call {
  id: string
  via: 'fetch' | 'axios' | 'login' | 'logout' | 'refresh' | 'getAccessToken'
  /** The action that started it, to name it in a counterexample. */
  action: number
  skipAuth: boolean
  controller?: AbortController
  aborted: boolean
  settled: boolean
  sends: number
  /** The session epoch when the call started: moved by every login, logout and expiry. */
  epoch: number
  /** The page that made it. */
  page: number
}

/**
 * One client (auth.fetch and an axios instance on it) over an in-memory server, a clock, a breakable
 * storage and another tab, all in the test's hand. `run` performs actions one by one and lets the client go as
 * far as it can after each; every invariant is checked as it happens (on each request reaching the server,
 * each promise settling, each snapshot) and collected in `violations`, named by the action that broke it.
 */
export function createScenario(setup: Setup) {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: START_TIME })
  const server = createFakeAuthServer()
  const tabs = createFakeTabs()
  vi.stubGlobal('BroadcastChannel', tabs.BroadcastChannel)
  vi.stubGlobal('navigator', setup.tabs === 'locks' ? { locks: tabs.locks } : {})
  const storage = breakableStorage()
  let clientSkew = 0
  const now = () => Date.now() + clientSkew
  const otherTab = createOtherTab({ server, tabs, storage, now, answered: checkAnswer })

  const violations: string[] = []
  const calls = new Map<string, Call>()
  const axiosResponses = new WeakSet<AxiosResponse>()
  /** Tokens no error may show: the server's, and those handed to setTokens. */
  const secrets = new Set<string>()
  /** Refresh tokens this client has spent: the server rotated them and the client got the answer. */
  const spentByClient = new Set<string>()
  /** Which page the client under test is: moved by each reload. */
  let page = 0
  /** Whether this page's storage failed and it went on in memory. */
  let fellBack = false
  let step = -1
  let epoch = 0
  let loggedOut = false
  /** When (client clock) a refresh last failed for a reason other than a refusal; null once that no longer holds. */
  let failedAt: number | null = null

  const violation = (what: string) => violations.push(`${step >= 0 ? `after action ${step}` : 'afterwards'}: ${what}`)

  if (setup.start === 'stored') {
    storage.area.setItem(STORAGE_KEY, JSON.stringify({ v: 2, server: `${API}/`, ...otherTab.toTokenSet(server.newSession()) }))
  }
  if (setup.start === 'junk') storage.area.setItem(STORAGE_KEY, '{"v":2,"server":"https://api.example.com/","accessToken":')
  server.observe(checkRequest)

  const api = axios.create({ baseURL: API, adapter: transportAdapter(server.fetch, axiosResponses) })
  let auth: AuthClient
  let detach: () => void
  let lastSeen: AuthState

  /**
   * The page's client, made as the app makes it: at start, and again at each reload (a new page on the same
   * storage, asking the open tabs for their session). Its listeners check the invariants of its own snapshots.
   */
  function startClient() {
    const client = createAuthClient({
      baseURL: API,
      fetch: server.fetch,
      now,
      storage: clientStorage(storage.area, setup.storage),
      autoRefresh: setup.autoRefresh,
      crossTab: setup.tabs !== 'off',
      refreshLeeway: 30,
      timeout: 10_000,
      ...WIRES[setup.wire],
    })
    auth = client
    detach = attachAxios(client, api)
    lastSeen = client.getState()
    client.subscribe(() => {
      // A page gone with its reload is checked no more.
      if (client !== auth) return
      const state = client.getState()
      if (state === lastSeen) violation('a subscriber was called while the snapshot stayed the same')
      else if (sameState(state, lastSeen)) violation('a new snapshot equal to the previous one')
      const problem = stateShapeProblem(state)
      if (problem) violation(problem)
      lastSeen = state
    })
    client.on('login', () => {
      epoch++
      loggedOut = false
      failedAt = null
    })
    const ended = () => {
      epoch++
      loggedOut = true
      failedAt = null
    }
    client.on('logout', ended)
    client.on('sessionExpired', ended)
    client.on('error', (error) => {
      // A failed refresh starts a backoff window; a storage failure or a revocation that did not happen does not.
      if (error.code !== 'storage' && error.code !== 'logout_failed') failedAt = now()
      if (error.code === 'storage') fellBack = true
    })
    client.on('refresh', () => {
      if (loggedOut) violation('a refresh result revived the session after it ended')
      failedAt = null
    })
  }
  startClient()

  /**
   * A reload: the page and its client are gone, with the requests it had on the wire (a request the server had
   * already handled, its answer lost with the page, is the server's grace window's to forgive), and a new page
   * starts on the same storage. Calls of the old page still settle, and no request of it goes out any more.
   */
  function reload() {
    // What the page had on the wire is cancelled with it, before the server handled it: as if its caller aborted.
    for (const call of calls.values()) if (!call.settled) call.aborted = true
    // A page that fell back to memory took its newest pair with it: what the mended storage still holds may be
    // one it rotated away, and only a server's grace window forgives the next page for spending it.
    if (fellBack) spentByClient.clear()
    fellBack = false
    server.dropAll()
    detach()
    auth.destroy()
    page++
    epoch++
    loggedOut = false
    failedAt = null
    startClient()
  }

  /** Invariants 2, 3, 4, 5, 6 and the backoff rule, on each request as it reaches the server. */
  function checkRequest(request: HeldRequest) {
    const call = request.call ? calls.get(request.call) : undefined
    if (request.kind === 'refresh') {
      if (server.pending.some((held) => held.kind === 'refresh')) violation('two refresh requests in flight at once')
      if (request.refreshToken && spentByClient.has(request.refreshToken)) violation('a spent refresh token was sent again')
      if (failedAt !== null && now() - failedAt < 1000) violation('a refresh was sent inside the backoff window')
    }
    if (call && ++call.sends > 2) violation(`call ${call.id} was sent ${call.sends} times`)
    if (!request.authorization) return
    if (request.kind === 'foreign') violation(`the token went to a foreign origin: ${request.url}`)
    if (call?.skipAuth) violation(`call ${call.id} with skipAuth carried a token`)
    // The session of this page: a page gone with a reload is the old client's, whose session this one's end is not.
    if (loggedOut && request.kind === 'api' && call?.page === page) violation(`call ${call?.id} carried a token after the session ended`)
  }

  function track(via: Call['via'], promise: Promise<unknown>, extra: Partial<Call> = {}) {
    const call: Call = { id: String(calls.size + 1), via, action: step, skipAuth: false, aborted: false, settled: false, sends: 0, epoch, page, ...extra }
    calls.set(call.id, call)
    const settled = (problem: string | undefined) => {
      call.settled = true
      if (problem) violation(`call ${call.id} (${call.via}, action ${call.action}) ${problem}`)
    }
    promise.then(
      (value) => settled(resolvedProblem(call, value)),
      (reason: unknown) => settled(rejectedProblem(call, reason)),
    )
  }

  /** Invariant 1, for a call that resolved: with the server's own answer to it, or what the method promises. */
  function resolvedProblem(call: Call, value: unknown): string | undefined {
    const fromServer =
      call.via === 'fetch'
        ? server.callOf(value) === call.id
        : axiosResponses.has(value as AxiosResponse) && (value as AxiosResponse).config.headers[server.callHeader] === call.id
    switch (call.via) {
      case 'fetch':
      case 'axios':
        return fromServer ? undefined : 'resolved with a response the server did not give it'
      case 'login':
        return (value as { status?: string } | undefined)?.status === 'authenticated' ? undefined : 'login resolved without a session'
      case 'refresh':
        return typeof value === 'string' && B64TOKEN.test(value) ? undefined : 'refresh() resolved without a token'
      case 'getAccessToken':
        return value === null || (typeof value === 'string' && B64TOKEN.test(value)) ? undefined : 'getAccessToken() resolved junk'
      case 'logout':
        return undefined
    }
  }

  /**
   * Invariant 1, for a call that rejected: with a tokenrail error that shows no token (and says the session
   * ended only when it did), the caller's own AbortError, or, for axios, the AxiosError axios itself gives for
   * an answer, a network failure or a cancel.
   */
  function rejectedProblem(call: Call, reason: unknown): string | undefined {
    if (call.via === 'logout') return `logout rejected: ${String(reason)}`
    if (isAuthError(reason)) {
      const text = `${reason.message} ${JSON.stringify(reason)}`
      if ([...secrets, ...server.issuedTokens()].some((token) => text.includes(token))) return 'rejected with an error that shows a token'
      if (isSessionExpiredError(reason) && call.epoch === epoch && auth.getState().status === 'authenticated') {
        return `rejected with SessionExpiredError (${reason.code}) while its session is still the current one`
      }
      return undefined
    }
    const ownAbort = call.aborted && (reason as Error | undefined)?.name === 'AbortError'
    if (call.via === 'fetch' && ownAbort) return undefined
    if (call.via !== 'axios' || !axios.isAxiosError(reason)) return `rejected with an untyped error: ${String(reason)}`
    if (reason.response) return axiosResponses.has(reason.response) ? undefined : 'rejected with a response the server did not give'
    if (axios.isCancel(reason)) return call.aborted ? undefined : 'canceled without an abort'
    return reason.code === AxiosError.ERR_NETWORK ? undefined : `rejected with axios code ${reason.code}`
  }

  /** A join answered: only by a client holding a session, and with its current tokens, never old ones. */
  function checkAnswer(tokens: { accessToken: string }) {
    const { status, accessToken } = auth.getState()
    if (status !== 'authenticated') violation('a client with no session answered a tab that joined')
    else if (tokens.accessToken !== accessToken) violation('a client answered a tab that joined with tokens that are not its own')
  }

  /** Invariants 4 and 7 between actions: the snapshot is stable, was announced, and is not a revived session. */
  function checkState() {
    const state = auth.getState()
    if (state !== auth.getState()) violation('getState() returned a new object with nothing changed')
    if (state !== lastSeen) violation('the snapshot changed without telling subscribers')
    const problem = stateShapeProblem(state)
    if (problem) violation(problem)
    if (loggedOut && state.status === 'authenticated') violation('authenticated after the session ended, without a login')
  }

  function answer(pick: number, outcome: Outcome) {
    const held = server.pending[pick % Math.max(server.pending.length, 1)]
    const token = held?.kind === 'refresh' ? held.refreshToken : undefined
    const wasSpent = token !== undefined && server.isSpent(token)
    server.answer(pick, outcome)
    if (token !== undefined && !wasSpent && server.isSpent(token)) spentByClient.add(token)
  }

  function request(action: Extract<Action, { do: 'fetch' | 'axios' }>) {
    const controller = action.abortable ? new AbortController() : undefined
    const skipAuth = action.to === 'skipAuth'
    const options = { headers: { [server.callHeader]: String(calls.size + 1) }, signal: controller?.signal, skipAuth }
    const url = TARGET_URLS[action.to]
    const promise: Promise<unknown> = action.do === 'fetch' ? auth.fetch(url, options) : api.get(url, options)
    track(action.do, promise, { skipAuth, controller })
    return promise
  }

  function setTokens(kind: Extract<Action, { do: 'setTokens' }>['tokens']) {
    const before = auth.getState()
    const opaque = { accessToken: `opaque-access-${step}`, refreshToken: `opaque-refresh-${step}` }
    const tokens =
      kind === 'fresh' ? otherTab.toTokenSet(server.newSession()) : kind === 'opaque' ? opaque : { accessToken: 'has space', refreshToken: 'r' }
    if (kind === 'opaque') secrets.add(opaque.accessToken).add(opaque.refreshToken)
    try {
      auth.setTokens(tokens)
      if (kind === 'junk') violation('setTokens accepted a malformed token')
    } catch (error) {
      if (kind !== 'junk' || !isAuthError(error)) violation(`setTokens threw ${String(error)}`)
      if (auth.getState() !== before) violation('a refused setTokens changed the state')
    }
  }

  function abort(pick: number) {
    const open = [...calls.values()].filter((call) => call.controller && !call.settled && !call.aborted)
    const call = open[pick % Math.max(open.length, 1)]
    if (!call) return
    call.aborted = true
    call.controller?.abort()
  }

  /** Lets every promise the last action started run as far as it can without the test's help. */
  const settle = async () => {
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve))
  }

  async function deliverMessages() {
    while (tabs.deliverNext()) await settle()
  }

  async function perform(action: Action) {
    switch (action.do) {
      case 'fetch':
      case 'axios':
        request(action)
        break
      case 'answer':
        answer(action.pick, action.outcome)
        break
      case 'abort':
        abort(action.pick)
        break
      case 'advance':
        // Messages between tabs take a task or two, never the 100 ms and more an advance stands for.
        await deliverMessages()
        await vi.advanceTimersByTimeAsync(action.ms)
        break
      case 'expireOnServer':
        server.expireAccessTokens()
        break
      case 'clockJump':
        clientSkew += action.ms
        failedAt = null
        break
      case 'login':
        track('login', auth.login({ username: 'demo', password: 'demo' }))
        break
      case 'logout':
        track('logout', auth.logout())
        break
      case 'refresh':
        track('refresh', auth.refresh())
        break
      case 'getAccessToken':
        track('getAccessToken', auth.getAccessToken())
        break
      case 'setTokens':
        setTokens(action.tokens)
        break
      case 'tab':
        otherTab.act(action.what)
        break
      case 'deliver':
        tabs.deliverNext()
        break
      case 'storage':
        storage.setBroken(action.what === 'break')
        break
      case 'reload':
        reload()
        break
    }
    await settle()
    checkState()
  }

  /**
   * Answers everything as a healthy server would, delivers every message, releases the other tab's lock and
   * lets time pass to the next timer (a backoff window, a probe), until every call has settled.
   */
  async function drain() {
    otherTab.unlock()
    for (let round = 0; round < 200; round++) {
      await deliverMessages()
      while (server.pending.length) answer(0, 'auto')
      await settle()
      // A refresh may be waiting on a timer (the open tabs' answer to a page that just started, the lock).
      const open = [...calls.values()].some((call) => !call.settled) || auth.getState().refreshing
      if (!open && !server.pending.length && !tabs.queued) break
      if (!server.pending.length && !tabs.queued) await vi.advanceTimersToNextTimerAsync()
    }
    for (const call of calls.values()) if (!call.settled) violation(`call ${call.id} (${call.via}, action ${call.action}) never settled`)
    checkState()
    if (auth.getState().refreshing) violation('still refreshing with nothing in flight')
  }

  /**
   * Once the outage is over and the longest backoff window has passed, a client that still has a session
   * serves requests again (or learns, once, that the session is over): no failure outlives its cause.
   */
  async function recover() {
    // A minute of a healthy server: whatever goes out meanwhile (the refresh timer) is answered at once.
    for (const end = Date.now() + 61_000; Date.now() < end; ) {
      await deliverMessages()
      while (server.pending.length) answer(0, 'auto')
      await settle()
      await vi.advanceTimersByTimeAsync(Math.min(1000, end - Date.now()))
    }
    const live = auth.getState().status === 'authenticated'
    const answers = [
      request({ do: 'fetch', to: 'api', abortable: false }).then((response) => (response as Response).status),
      request({ do: 'axios', to: 'api', abortable: false }).then(() => 200),
    ].map((promise) => promise.catch((reason: unknown) => reason))
    await drain()
    for (const answer of await Promise.all(answers)) {
      const ended = isSessionExpiredError(answer) && auth.getState().status !== 'authenticated'
      if (live && answer !== 200 && !ended) violation(`a request after the outage got ${String(answer)}`)
    }
  }

  /** Destroys the client: afterwards it holds no timer, no channel and no interceptor. */
  function finish() {
    detach()
    auth.destroy()
    if (vi.getTimerCount() !== 0) violation(`${vi.getTimerCount()} timers left after destroy()`)
    if (tabs.openChannels !== 0) violation(`${tabs.openChannels} channels left open after destroy()`)
    if (api.interceptors.request.handlers?.some(Boolean) || api.interceptors.response.handlers?.some(Boolean)) {
      violation('interceptors left after detach()')
    }
  }

  return {
    violations,
    async start() {
      // The client starts by asking the open tabs for their session, and waits its while for an answer.
      await deliverMessages()
      await vi.advanceTimersByTimeAsync(JOIN_MS)
      if (setup.start === 'login') {
        const login = auth.login({ username: 'demo', password: 'demo' })
        await settle()
        server.answerAll('auto')
        await login
      }
      await auth.ready
      await settle()
      checkState()
    },
    async run(actions: readonly Action[]) {
      for (const [index, action] of actions.entries()) {
        step = index
        await perform(action)
      }
      step = -1
    },
    drain,
    recover,
    finish,
    dispose() {
      vi.useRealTimers()
      vi.unstubAllGlobals()
    },
  }
}
