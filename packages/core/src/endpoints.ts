import { AuthError, describeRequest, LoginError, NetworkError, SessionExpiredError } from './errors'
import { unlessAborted } from './policy'
import type { TokenResponse } from './tokens'

export interface Endpoints {
  /** @default '/auth/login' */
  login: string
  /** @default '/auth/refresh' */
  refresh: string
  /** @default '/auth/logout' */
  logout: string
}

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
  cookieMode: boolean
  timeoutMs: number
}

/**
 * The login / refresh / logout calls. Each answers in the engine's terms: a token response, or one of the
 * typed errors, never a raw `Response` and never an untyped rejection.
 */
export function createEndpoints(context: EndpointContext, endpoints?: Partial<Endpoints>) {
  const paths: Endpoints = { login: '/auth/login', refresh: '/auth/refresh', logout: '/auth/logout', ...endpoints }

  async function post(name: keyof Endpoints, body: unknown, bearer?: string): Promise<TokenResponse> {
    const url = context.url(paths[name])
    const where = describeRequest('POST', url)
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), context.timeoutMs)
    // The transport and the body each settle by the timeout, even where a transport does not watch the signal.
    const within = <T>(wait: Promise<T>) => unlessAborted(wait, controller.signal)
    let response: Response
    let text: string
    try {
      response = await within(context.transport()(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          ...(context.cookieMode && { [CSRF_HEADER]: '1' }),
          ...(bearer && context.allowed(url) && { authorization: `Bearer ${bearer}` }),
        },
        body: JSON.stringify(body),
        credentials: context.cookieMode ? 'include' : 'same-origin',
        // A tab closed while the answer is on its way: the browser still stores its cookie, or the jar keeps a
        // refresh token the server has rotated away, and the next refresh from any tab looks like theft.
        keepalive: context.cookieMode,
        signal: controller.signal,
      }))
      text = await readAnswer(response, where, within)
    } catch (cause) {
      if (cause instanceof AuthError) throw cause
      // A body that stalls or breaks after the headers is a network failure too, not an answer without tokens.
      const code = controller.signal.aborted ? 'timeout' : 'network'
      throw new NetworkError(`${where} failed (${code})`, { cause, code })
    } finally {
      clearTimeout(timer)
    }
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
        if (typeof tokens?.accessToken === 'string') return tokens
      } catch {
        // parseTokens failing on a body is the same as the body not being tokens
      }
      throw new AuthError(`${where} answered no token set`, options)
    }
    const failure = `${where} answered ${status}`
    if (status > 499) throw new NetworkError(failure, { ...options, code: 'server_error' })
    if (name === 'login') throw new LoginError(failure, options)
    // Refused: the refresh token is spent, revoked or unknown, and only a new login helps.
    if (status === 400 || status === 401) throw new SessionExpiredError(failure, options)
    throw new AuthError(failure, options)
  }

  return {
    login: (credentials: unknown) => post('login', credentials),
    refresh: (refreshToken: string | undefined) => post('refresh', context.cookieMode ? {} : { refreshToken }),
    /** Best effort: the session is already gone locally, so a failed revocation only gets noted nowhere. */
    logout: (refreshToken: string | undefined, accessToken: string | undefined) =>
      post('logout', refreshToken ? { refreshToken } : {}, accessToken).then(
        () => undefined,
        () => undefined,
      ),
    isAuthEndpoint: (url: URL) => Object.values(paths).some((path) => context.url(path) === url.origin + url.pathname),
  }
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
