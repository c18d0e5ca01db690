import { AuthError, describeRequest, LoginError, NetworkError, SessionExpiredError } from './errors'
import { bearer } from './request'
import { timeout, unlessAborted, within } from './timeout'
import type { TokenResponse } from './tokens'

export interface Endpoints {
  /** @default '/auth/login' */
  login: string
  /** @default '/auth/refresh' */
  refresh: string
  /** @default '/auth/logout' */
  logout: string
}

/**
 * One call to an auth endpoint, as a backend wants it. A plain object or array `body` is sent as JSON,
 * `URLSearchParams` as `application/x-www-form-urlencoded`, a string as it is, `null` or none as no body
 * (anything else `fetch` takes, such as `FormData`, as it is).
 */
export interface AuthRequest {
  /** @default 'POST' */
  method?: string
  /** A header whose value holds a token goes only to an allowed origin. */
  headers?: Record<string, string>
  body?: unknown
}

/** What the refresh and logout builders get: the session's tokens (no refresh token in cookie mode). */
export interface SessionTokens {
  accessToken?: string
  refreshToken?: string
}

type Built<T> = T | Promise<T>

/** How the three auth calls are written; each builder is optional. */
export interface AuthRequests<Credentials = unknown> {
  /** @default (credentials) => ({ body: credentials }): POST JSON */
  login?: (credentials: Credentials) => Built<AuthRequest>
  /** @default POST JSON `{ refreshToken }` (`{}` in cookie mode) */
  refresh?: (tokens: SessionTokens) => Built<AuthRequest>
  /**
   * Several requests are sent in order (to revoke a refresh token, then an access token); `null` makes no
   * server call. @default POST JSON `{ refreshToken }` with the access token as Bearer
   */
  logout?: ((tokens: SessionTokens) => Built<AuthRequest | AuthRequest[]>) | null
}

/** A refresh answer that was not tokens, for `refused` to judge. */
export interface RefreshAnswer {
  status: number
  /** The parsed JSON body; undefined when the body is not JSON. */
  body: unknown
}

/** A token response, with the server's clock when its answer said it (the `Date` header, epoch ms). */
export type TokenAnswer = TokenResponse & { serverDate?: number }

// A token response is a few KiB (two tokens of at most 16 KiB each, and some room): nothing more is read.
const MAX_ANSWER = 64 * 1024

/** Sent with every cookie-mode refresh and logout: a header a cross-site form cannot add. */
export const CSRF_HEADER = 'x-tokenrail-csrf'

export interface EndpointContext {
  /** The absolute URL of an endpoint path. */
  url(path: string): string
  /** Whether a URL may carry the access token (the client's allowlist). */
  allowed(url: string): boolean
  /** The fetch to call, read at call time. */
  transport(): typeof fetch
  parseTokens(body: unknown): TokenResponse
  refused(answer: RefreshAnswer): boolean
  /** A revocation that failed, or was refused: the session is gone here, but maybe not on the server. */
  report(error: AuthError): void
  cookieMode: boolean
  timeoutMs: number
}

const defaultRequests: Required<AuthRequests> = {
  login: (credentials) => ({ body: credentials }),
  refresh: ({ refreshToken }) => ({ body: refreshToken ? { refreshToken } : {} }),
  logout: ({ refreshToken, accessToken }) => ({
    headers: accessToken ? { authorization: bearer(accessToken) } : undefined,
    body: refreshToken ? { refreshToken } : {},
  }),
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  !!value && typeof value === 'object' && [Object.prototype, null].includes(Object.getPrototypeOf(value))

/**
 * The login / refresh / logout calls. Each answers in the engine's terms: a token response, or one of the
 * typed errors, never a raw `Response` and never an untyped rejection.
 */
export function createEndpoints(context: EndpointContext, endpoints?: Partial<Endpoints>, requests?: AuthRequests) {
  const paths: Endpoints = { login: '/auth/login', refresh: '/auth/refresh', logout: '/auth/logout', ...endpoints }
  const builders = { ...defaultRequests, ...requests }

  /** What a builder made of `input`: valid requests, or a configuration error that names the builder. */
  async function build(name: keyof Endpoints, input: unknown): Promise<AuthRequest[]> {
    let built: unknown
    try {
      built = await (builders[name] as (input: unknown) => unknown)(input)
    } catch (cause) {
      throw new AuthError(`requests.${name} threw`, { code: 'configuration', cause })
    }
    const list = name === 'logout' && Array.isArray(built) ? built : [built]
    if (!list.every((request) => isRecord(request) && (request.headers === undefined || isRecord(request.headers)))) {
      throw new AuthError(`requests.${name} returned no AuthRequest ({ method?, headers?, body? })`, { code: 'configuration' })
    }
    return list
  }

  /** The fetch options for `request`: its body encoded, and headers that hold a token only for an allowed origin. */
  function init({ method = 'POST', headers, body }: AuthRequest, url: string, tokens: SessionTokens, signal: AbortSignal): RequestInit {
    const json = isRecord(body) || Array.isArray(body)
    const secrets = [tokens.accessToken, tokens.refreshToken].filter(Boolean) as string[]
    const sent: Record<string, string> = json ? { 'content-type': 'application/json' } : {}
    for (const name in headers) {
      const value = String(headers[name])
      if (context.allowed(url) || !secrets.some((secret) => value.includes(secret))) sent[name.toLowerCase()] = value
    }
    if (context.cookieMode) sent[CSRF_HEADER] = '1'
    return {
      method,
      headers: sent,
      body: json ? JSON.stringify(body) : (body as BodyInit | null | undefined),
      credentials: context.cookieMode ? 'include' : 'same-origin',
      // A tab closed while the answer is on its way: the browser still stores its cookie, or the jar keeps a
      // refresh token the server has rotated away, and the next refresh from any tab looks like theft.
      keepalive: context.cookieMode,
      signal,
    }
  }

  /** Sends the request a builder makes (or made) and judges its answer, all within the call's timeout. */
  async function send(name: keyof Endpoints, requests: Built<AuthRequest[]>, tokens: SessionTokens = {}): Promise<TokenAnswer> {
    const [signal, done] = timeout(context.timeoutMs)
    // Even where a transport (or a builder) does not watch the signal.
    const bounded = <U>(wait: Built<U>) => unlessAborted(Promise.resolve(wait), signal)
    const url = context.url(paths[name])
    let where = describeRequest('POST', url)
    try {
      const [request] = await bounded(requests)
      where = describeRequest(request!.method ?? 'POST', url)
      const response = await bounded(context.transport()(url, init(request!, url, tokens, signal)))
      return judge(name, response, await readAnswer(response, where, bounded), where)
    } catch (cause) {
      if (cause instanceof AuthError) throw cause
      // A body that stalls or breaks after the headers is a network failure too, not an answer without tokens.
      const code = signal.aborted ? 'timeout' : 'network'
      throw new NetworkError(`${where} failed (${code})`, { cause, code })
    } finally {
      done()
    }
  }

  /** An answer in the engine's terms: tokens, or the typed error that says what it means for the session. */
  function judge(name: keyof Endpoints, response: Response, text: string, where: string): TokenAnswer {
    let json: { error?: unknown } | undefined
    try {
      json = JSON.parse(text)
    } catch {
      // not JSON: an answer with no token set and no error code
    }
    const { status } = response
    // A refresh answered 204 says there is no session (a cookie-mode restore with no cookie) without the
    // red 4xx a browser console shows for every logged-out page load.
    if (status === 204 && name === 'refresh') throw new SessionExpiredError(`${where} answered 204 (no session)`, { status })
    const options = { status, error: typeof json?.error === 'string' ? json.error : undefined }
    if (response.ok) {
      if (name === 'logout') return undefined as never
      try {
        const tokens = context.parseTokens(json)
        const serverDate = Date.parse(response.headers.get('date')!)
        if (typeof tokens?.accessToken === 'string') return serverDate ? { ...tokens, serverDate } : tokens
      } catch {
        // parseTokens failing on a body is the same as the body not being tokens
      }
      throw new AuthError(`${where} answered no token set`, options)
    }
    const failure = `${where} answered ${status}`
    if (name === 'refresh' && context.refused({ status, body: json })) throw new SessionExpiredError(failure, options)
    // The server is down or busy: try again later. Any other refusal of a login is the credentials'.
    if (status > 499 || status === 429) throw new NetworkError(failure, { ...options, code: 'server_error' })
    if (name === 'login') throw new LoginError(failure, options)
    // Neither tokens nor a refusal: the call is not written the way this server wants it (or a logout refused).
    throw new AuthError(failure, { ...options, code: name === 'logout' ? 'logout_failed' : 'configuration' })
  }

  /** A revocation that did not happen, reported as one: the user must not believe the server ended the session. */
  function reportLogout(cause: unknown) {
    const { message = 'requests.logout did not answer', status, error, code } = cause as AuthError
    context.report(code === 'logout_failed' ? (cause as AuthError) : new AuthError(message, { code: 'logout_failed', status, error, cause }))
  }

  return {
    login: (credentials: unknown) => send('login', build('login', credentials)),
    refresh: (tokens: SessionTokens) => send('refresh', build('refresh', tokens), tokens),
    /** Never rejects: the session is already gone here. A revocation that failed is reported, never silent. */
    async logout({ accessToken, refreshToken }: SessionTokens): Promise<void> {
      if (builders.logout === null) return
      const tokens = { accessToken, refreshToken }
      try {
        for (const request of await within(build('logout', tokens), context.timeoutMs)) {
          await send('logout', [request], tokens).catch(reportLogout)
        }
      } catch (cause) {
        reportLogout(cause)
      }
    },
    // An endpoint path may carry a query (`/token?grant_type=refresh_token`): a request URL is matched on its path.
    isAuthEndpoint: (url: URL) => Object.values(paths).some((path) => context.url(path).split('?')[0] === url.origin + url.pathname),
  }
}

/** An answer's body as text, read no further than MAX_ANSWER: a larger one fails typed, and is dropped unread. */
async function readAnswer(response: Response, where: string, within: <T>(wait: Promise<T>) => Promise<T>) {
  const reader = response.body?.getReader()
  const decoder = new TextDecoder()
  let text = ''
  for (let chunk; reader && !(chunk = await within(reader.read())).done; ) {
    text += decoder.decode(chunk.value, { stream: true })
    if (text.length > MAX_ANSWER) {
      reader.cancel().catch(() => undefined)
      throw new AuthError(`${where} answered more than 64 KiB`, { status: response.status })
    }
  }
  return text
}

/** Understands `{ accessToken, refreshToken, expiresIn }` and the OAuth `{ access_token, refresh_token, expires_in }`. */
export function defaultParseTokens(body: unknown): TokenResponse {
  const record = (body ?? {}) as Record<string, unknown>
  return {
    accessToken: (record.accessToken ?? record.access_token) as string,
    refreshToken: (record.refreshToken ?? record.refresh_token) as string | undefined,
    expiresIn: (record.expiresIn ?? record.expires_in) as number | undefined,
  }
}
