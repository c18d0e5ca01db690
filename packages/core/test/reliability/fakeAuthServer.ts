import { unsignedJwt } from '../unsignedJwt'

export const API = 'https://api.example.com'
export const ACCESS_TTL_SECONDS = 60

/** What kind of request reached the transport, from the URL. */
export type RequestKind = 'login' | 'refresh' | 'logout' | 'api' | 'foreign'

/**
 * How the test answers a held request. `auto` is what a correct server says (rotate a valid refresh token,
 * 200 for a valid access token, 401 otherwise); the others force one answer whatever the request.
 */
export type Outcome = 'auto' | 'refused' | 'network' | '5xx' | 'bad-json' | 'html' | '401' | '403'

export interface HeldRequest {
  readonly id: number
  readonly kind: RequestKind
  readonly url: string
  readonly authorization: string | null
  /** The logical call this try belongs to (the `x-call` header the harness puts on app requests). */
  readonly call: string | null
  /** The refresh token in a refresh request's body. */
  readonly refreshToken: string | undefined
}

interface Family {
  id: number
  revoked: boolean
}

interface Pending extends HeldRequest {
  resolve(response: Response): void
  reject(error: unknown): void
  detach(): void
}

const CALL_HEADER = 'x-call'

/**
 * An auth server and API in memory, behind a `fetch` the test controls: every request is held until the test
 * answers it (in any order, with any outcome), and a caller's `AbortSignal` rejects it the way fetch does.
 * It models what the client's invariants are about: rotating single-use refresh tokens grouped in families,
 * access tokens with a server-side expiry, and what each request carried (for `observe`).
 */
export function createFakeAuthServer(origin = API) {
  const pending: Pending[] = []
  const observers: ((request: HeldRequest) => void)[] = []
  const accessTokens = new Map<string, { expMs: number; family: Family }>()
  const refreshTokens = new Map<string, { family: Family; spent: boolean }>()
  /** The response objects this server produced, and the call each answered. */
  const responses = new WeakMap<Response, string | null>()
  let serverSkewMs = 0
  let ids = 0
  let families = 0

  const serverNow = () => Date.now() + serverSkewMs

  function issue(family: Family, expiresIn = ACCESS_TTL_SECONDS) {
    const iat = Math.floor(serverNow() / 1000)
    const accessToken = unsignedJwt({ sub: 'u1', sid: family.id, jti: ++ids, iat, exp: iat + expiresIn })
    const refreshToken = `rt-${family.id}-${ids}`
    accessTokens.set(accessToken, { expMs: (iat + expiresIn) * 1000, family })
    refreshTokens.set(refreshToken, { family, spent: false })
    return { accessToken, refreshToken, expiresIn }
  }

  function newSession() {
    return issue({ id: ++families, revoked: false })
  }

  /** Rotates `refreshToken`: the new pair, or why not. Presenting a spent token revokes its family. */
  function rotate(refreshToken: string | undefined) {
    const entry = refreshToken === undefined ? undefined : refreshTokens.get(refreshToken)
    if (!entry || entry.family.revoked) return { refused: 'unknown' as const }
    if (entry.spent) {
      entry.family.revoked = true
      return { refused: 'reuse' as const }
    }
    entry.spent = true
    return { tokens: issue(entry.family) }
  }

  function classify(url: URL): RequestKind {
    if (url.origin !== origin) return 'foreign'
    if (url.pathname === '/auth/login') return 'login'
    if (url.pathname === '/auth/refresh') return 'refresh'
    if (url.pathname === '/auth/logout') return 'logout'
    return 'api'
  }

  const json = (body: unknown, status = 200) =>
    new Response(status === 204 ? null : JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } })
  const html = () => new Response('<!doctype html><title>Sign in</title>', { status: 200, headers: { 'content-type': 'text/html' } })

  function correctAnswer(request: HeldRequest): Response {
    switch (request.kind) {
      case 'login':
        return json(newSession())
      case 'refresh': {
        const rotated = rotate(request.refreshToken)
        return rotated.tokens ? json(rotated.tokens) : json({ error: 'invalid_grant' }, 400)
      }
      case 'logout': {
        const entry = request.refreshToken ? refreshTokens.get(request.refreshToken) : undefined
        if (entry) entry.family.revoked = true
        return json(null, 204)
      }
      case 'api': {
        const token = request.authorization?.replace(/^Bearer /, '')
        const valid = token ? accessTokens.get(token) : undefined
        return valid && valid.expMs > serverNow() ? json({ ok: true }) : json({ error: 'invalid_token' }, 401)
      }
      case 'foreign':
        return json({ foreign: true })
    }
  }

  function answerWith(request: HeldRequest, outcome: Outcome): Response | 'network' {
    switch (outcome) {
      case 'auto':
        return correctAnswer(request)
      case 'refused':
        return request.kind === 'login' ? json({ error: 'invalid_credentials' }, 401) : json({ error: 'invalid_grant' }, 400)
      case 'network':
        return 'network'
      case '5xx':
        return json({ error: 'unavailable' }, 503)
      case 'bad-json':
        return new Response('{"accessToken":', { status: 200, headers: { 'content-type': 'application/json' } })
      case 'html':
        return html()
      case '401':
        return json({ error: 'invalid_token' }, 401)
      case '403':
        return json({ error: 'forbidden' }, 403)
    }
  }

  const fetch: typeof globalThis.fetch = (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input))
    const headers = new Headers(input instanceof Request ? input.headers : init?.headers)
    const signal = init?.signal ?? (input instanceof Request ? input.signal : undefined)
    const kind = classify(url)
    // The refresh token as each wire carries it: in a JSON body, in a form (refresh_token, or RFC 7009's token),
    // or as the Bearer header of the refresh call.
    const form = init?.body instanceof URLSearchParams ? init.body : undefined
    const json = typeof init?.body === 'string' ? (JSON.parse(init.body) as { refreshToken?: string }) : undefined
    const bearer = kind === 'refresh' && !init?.body ? headers.get('authorization')?.replace(/^Bearer /, '') : undefined
    const body = form ? { refreshToken: form.get('refresh_token') ?? form.get('token') ?? undefined } : bearer ? { refreshToken: bearer } : json
    const request: HeldRequest = {
      id: ++ids,
      kind,
      url: url.href,
      authorization: headers.get('authorization'),
      call: headers.get(CALL_HEADER),
      refreshToken: kind === 'refresh' || kind === 'logout' ? body?.refreshToken : undefined,
    }
    for (const observer of observers) observer(request)
    if (signal?.aborted) return Promise.reject(signal.reason ?? new DOMException('aborted', 'AbortError'))
    return new Promise<Response>((resolve, reject) => {
      const onAbort = () => {
        remove(held)
        reject(new DOMException('This operation was aborted', 'AbortError'))
      }
      const held: Pending = {
        ...request,
        resolve,
        reject,
        detach: () => signal?.removeEventListener('abort', onAbort),
      }
      signal?.addEventListener('abort', onAbort)
      pending.push(held)
    })
  }

  function remove(held: Pending) {
    const at = pending.indexOf(held)
    if (at >= 0) pending.splice(at, 1)
    held.detach()
  }

  return {
    fetch,
    /** Requests sent and not yet answered, oldest first. */
    pending: pending as readonly HeldRequest[],
    /** Calls `observer` for each request as it reaches the server (before it is held). */
    observe(observer: (request: HeldRequest) => void) {
      observers.push(observer)
    },
    /** Answers the held request at `index` (taken modulo the number held); undefined when none is held. */
    answer(index: number, outcome: Outcome): HeldRequest | undefined {
      const held = pending[index % Math.max(pending.length, 1)]
      if (!held) return undefined
      remove(held)
      const answer = answerWith(held, outcome)
      if (answer === 'network') held.reject(new TypeError('fetch failed'))
      else {
        responses.set(answer, held.call)
        held.resolve(answer)
      }
      return held
    },
    answerAll(outcome: Outcome = 'auto') {
      while (pending.length) this.answer(0, outcome)
    },
    /** A page unloads: its requests still on the wire are cancelled before the server handled them. */
    dropAll() {
      for (const held of pending.splice(0)) {
        held.detach()
        held.reject(new DOMException('The page was unloaded', 'AbortError'))
      }
    },
    /** The call a response was produced for, or undefined when this server never produced it. */
    callOf: (response: unknown) => (response instanceof Response && responses.has(response) ? responses.get(response) : undefined),
    /** Server time moves past every access token issued so far; the client's clock does not move. */
    expireAccessTokens() {
      serverSkewMs += (ACCESS_TTL_SECONDS + 1) * 1000
    },
    /** A fresh login, as another tab or an OAuth redirect would get it. */
    newSession,
    /** What another tab of the same session would do to refresh: spend the family's current token. */
    rotate,
    isSpent: (refreshToken: string) => refreshTokens.get(refreshToken)?.spent === true,
    /** Every token this server has issued, access and refresh, to look for in what must not show one. */
    issuedTokens: () => [...accessTokens.keys(), ...refreshTokens.keys()],
    revoke(refreshToken: string | undefined) {
      const entry = refreshToken ? refreshTokens.get(refreshToken) : undefined
      if (entry) entry.family.revoked = true
    },
    callHeader: CALL_HEADER,
  }
}

export type FakeAuthServer = ReturnType<typeof createFakeAuthServer>
