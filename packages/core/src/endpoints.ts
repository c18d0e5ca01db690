import { AuthError, describeRequest, LoginError, NetworkError, SessionExpiredError } from './errors'
import { bearer } from './request'
import { timeout, unlessAborted, within } from './timeout'
import { defaultParseTokens, type TokenResponse } from './tokens'
import type { AuthClientOptions, AuthRequest, AuthRequests, Built, Endpoints, SessionTokens } from './types'

// The request types live with the client's options; they are named here too, where the calls are written.
export type { AuthRequest, AuthRequests, Endpoints, RefreshAnswer, SessionTokens } from './types'

/** A token response, with the server's clock when its answer said it (the `Date` header, epoch ms). */
export type TokenAnswer = TokenResponse & { serverDate?: number }

// A token response is a few KiB (two tokens of at most 16 KiB each, and some room): nothing more is read.
const MAX_ANSWER = 64 * 1024

/** Sent with every cookie-mode refresh and logout: a header a cross-site form cannot add. */
export const CSRF_HEADER = 'x-tokenrail-csrf'

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
 * The login / refresh / logout calls, as `options` (endpoints, requests, parseTokens, refused) say. Each answers
 * in the engine's terms: a token response, or one of the typed errors, never a raw `Response` and never an
 * untyped rejection.
 * @param url the absolute URL of an endpoint path
 * @param allowed whether a URL may carry the access token (the client's allowlist)
 * @param report hears a revocation that failed or was refused: the session is gone here, maybe not on the server
 */
export function createEndpoints(
  options: AuthClientOptions<never>,
  url: (path: string) => string,
  allowed: (url: string) => boolean,
  transport: () => typeof fetch,
  report: (error: AuthError) => void,
  timeoutMs: number,
) {
  const cookie = options.refreshToken === 'cookie'
  const parseTokens = options.parseTokens ?? defaultParseTokens
  const refused = options.refused ?? (({ status }) => status === 400 || status === 401)
  // An endpoint given as undefined is the default one.
  const { login = '/auth/login', refresh = '/auth/refresh', logout = '/auth/logout' } = options.endpoints ?? {}
  const paths: Endpoints = { login, refresh, logout }
  const builders = { ...defaultRequests, ...options.requests } as Record<keyof Endpoints, (input: unknown) => unknown>

  /** What a builder made of `input`: valid requests, or a configuration error that names the builder. */
  async function build(name: keyof Endpoints, input: unknown): Promise<AuthRequest[]> {
    let built: unknown
    try {
      built = await builders[name](input)
    } catch (cause) {
      throw new AuthError(`requests.${name} threw`, { code: 'configuration', cause })
    }
    if (built === null && name === 'refresh') throw new SessionExpiredError('No refresh token') // nothing to refresh with
    const list = name === 'logout' && Array.isArray(built) ? built : [built]
    if (list.every((request) => isRecord(request) && (request.headers === undefined || isRecord(request.headers)))) return list
    throw new AuthError(`requests.${name} returned no AuthRequest`, { code: 'configuration' })
  }

  /**
   * Sends the request a builder makes (or made), all within the call's timeout, and judges its answer: tokens,
   * or the typed error that says what it means for the session. Its body is encoded, and headers that hold a
   * token go only to an allowed origin.
   */
  async function send(name: keyof Endpoints, requests: Built<AuthRequest[]>, tokens: SessionTokens = {}): Promise<TokenAnswer> {
    const [signal, done] = timeout(timeoutMs)
    // Even where a transport (or a builder) does not watch the signal.
    const bounded = <T>(wait: Built<T>) => unlessAborted(Promise.resolve(wait), signal)
    const target = url(paths[name])
    let where = describeRequest('POST', target)
    let json: { error?: unknown } | undefined
    try {
      const [{ method = 'POST', headers, body }] = (await bounded(requests)) as [AuthRequest]
      where = describeRequest(method, target)
      const encoded = isRecord(body) || Array.isArray(body)
      const secrets = [tokens.accessToken, tokens.refreshToken].filter(Boolean) as string[]
      const sent: Record<string, string> = encoded ? { 'content-type': 'application/json' } : {}
      for (const header in headers) {
        const value = String(headers[header])
        if (allowed(target) || !secrets.some((secret) => value.includes(secret))) sent[header.toLowerCase()] = value
      }
      if (cookie) sent[CSRF_HEADER] = '1'
      const response = await bounded(
        transport()(target, {
          method,
          headers: sent,
          body: encoded ? JSON.stringify(body) : (body as BodyInit | null | undefined),
          credentials: cookie ? 'include' : 'same-origin',
          // A tab closed while the answer is on its way: the browser still stores its cookie, or the jar keeps a
          // refresh token the server has rotated away, and the next refresh from any tab looks like theft.
          keepalive: cookie,
          signal,
        }),
      )
      const text = await readAnswer(response, where, bounded)
      try {
        json = JSON.parse(text)
      } catch {
        // not JSON: an answer with no token set and no error code
      }
      return judge(name, response, json, where)
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
  function judge(name: keyof Endpoints, response: Response, json: { error?: unknown } | undefined, where: string): TokenAnswer {
    const { status } = response
    // A refresh answered 204 says there is no session (a cookie-mode restore with no cookie) without the
    // red 4xx a browser console shows for every logged-out page load.
    if (status === 204 && name === 'refresh') throw new SessionExpiredError(`${where} answered 204`, { status })
    const details = { status, error: typeof json?.error === 'string' ? json.error : undefined }
    if (response.ok) {
      if (name === 'logout') return undefined as never
      try {
        const answer = parseTokens(json)
        const serverDate = Date.parse(response.headers.get('date')!)
        if (typeof answer?.accessToken === 'string') return serverDate ? { ...answer, serverDate } : answer
      } catch {
        // parseTokens failing on a body is the same as the body not being tokens
      }
      throw new AuthError(`${where} answered no token set`, details)
    }
    // A refused refresh ends the session. The server is down or busy: try again later. Any other refusal of a
    // login is the credentials'; of another call, it is not written the way this server wants it (or a
    // logout refused).
    const [Type, code] =
      name === 'refresh' && refused({ status, body: json })
        ? [SessionExpiredError]
        : status > 499 || status === 429
          ? [NetworkError, 'server_error' as const]
          : name === 'login'
            ? [LoginError]
            : [AuthError, name === 'logout' ? ('logout_failed' as const) : ('configuration' as const)]
    throw new Type(`${where} answered ${status}`, { ...details, code })
  }

  /** A revocation that did not happen, reported as one: the user must not believe the server ended the session. */
  function reportLogout(cause: unknown) {
    const { message = 'requests.logout failed', status, error, code } = cause as AuthError
    report(code === 'logout_failed' ? (cause as AuthError) : new AuthError(message, { code: 'logout_failed', status, error, cause }))
  }

  return {
    parseTokens,
    login: (credentials: unknown) => send('login', build('login', credentials)),
    refresh: (tokens: SessionTokens) => send('refresh', build('refresh', tokens), tokens),
    /** Never rejects: the session is already gone here. A revocation that failed is reported, never silent. */
    async logout({ accessToken, refreshToken }: SessionTokens): Promise<void> {
      if (builders.logout === null) return
      const tokens = { accessToken, refreshToken }
      try {
        for (const request of await within(build('logout', tokens), timeoutMs)) await send('logout', [request], tokens).catch(reportLogout)
      } catch (cause) {
        reportLogout(cause)
      }
    },
    // An endpoint path may carry a query (`/token?grant_type=refresh_token`): a request URL is matched on its path.
    isAuthEndpoint: (target: URL) => Object.values(paths).some((path) => url(path).split('?')[0] === target.origin + target.pathname),
  }
}

/** An answer's body as text, read no further than MAX_ANSWER: a larger one fails typed, and is dropped unread. */
async function readAnswer(response: Response, where: string, bounded: <T>(wait: Promise<T>) => Promise<T>) {
  const reader = response.body?.getReader()
  const decoder = new TextDecoder()
  let text = ''
  for (let chunk; reader && !(chunk = await bounded(reader.read())).done; ) {
    text += decoder.decode(chunk.value, { stream: true })
    if (text.length > MAX_ANSWER) {
      reader.cancel().catch(() => undefined)
      throw new AuthError(`${where} answered more than 64 KiB`, { status: response.status })
    }
  }
  return text
}
