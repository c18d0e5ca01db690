import { AuthError, LoginError, NetworkError, SessionExpiredError } from './errors'
import type { TokenResponse } from './tokens'

export interface Endpoints {
  /** @default '/auth/login' */
  login: string
  /** @default '/auth/refresh' */
  refresh: string
  /** @default '/auth/logout' */
  logout: string
}

export const DEFAULT_ENDPOINTS: Endpoints = { login: '/auth/login', refresh: '/auth/refresh', logout: '/auth/logout' }

/** Sent with every cookie-mode refresh and logout: a header a cross-site form cannot add. */
export const CSRF_HEADER = 'x-tokenrail-csrf'

export interface EndpointContext {
  url(path: string): string
  fetch: typeof fetch
  parseTokens(body: unknown): TokenResponse
  cookieMode: boolean
  timeoutMs: number
}

/**
 * The login / refresh / logout calls. Each answers in the engine's terms: a token response, or one of the
 * typed errors, never a raw `Response` and never an untyped rejection.
 */
export function createEndpoints(context: EndpointContext, paths: Endpoints) {
  async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
    const url = context.url(path)
    const where = `POST ${url.split(/[?#]/)[0]}`
    const controller = new AbortController()
    const timer = setTimeout(() => controller.abort(), context.timeoutMs)
    try {
      const response = await context.fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(body),
        credentials: context.cookieMode ? 'include' : 'same-origin',
        signal: controller.signal,
      })
      const json: unknown = await response.json().catch(() => undefined)
      return { where, response, json }
    } catch (cause) {
      const timedOut = controller.signal.aborted
      throw new NetworkError(`${where} ${timedOut ? 'timed out' : 'failed'}`, { cause, code: timedOut ? 'timeout' : 'network' })
    } finally {
      clearTimeout(timer)
    }
  }

  function tokensFrom(where: string, json: unknown): TokenResponse {
    try {
      const tokens = context.parseTokens(json)
      if (tokens && typeof tokens === 'object' && typeof tokens.accessToken === 'string') return tokens
    } catch {
      // parseTokens failing on a body is the same as the body not being tokens
    }
    throw new AuthError(`${where} answered without a token set`, 'bad_response')
  }

  const serverError = (where: string, status: number) =>
    new NetworkError(`${where} answered ${status}`, { status, code: 'server_error' })

  const csrf = (): Record<string, string> => (context.cookieMode ? { [CSRF_HEADER]: '1' } : {})

  return {
    async login(credentials: unknown): Promise<TokenResponse> {
      const { where, response, json } = await post(paths.login, credentials)
      if (response.ok) return tokensFrom(where, json)
      if (response.status >= 500) throw serverError(where, response.status)
      const error = (json as { error?: unknown } | undefined)?.error
      throw new LoginError(`${where} refused (${response.status})`, {
        status: response.status,
        error: typeof error === 'string' ? error : undefined,
      })
    },

    /** Refused (400/401) rejects `SessionExpiredError`; anything else that is not a token set is a failure. */
    async refresh(refreshToken: string | undefined): Promise<TokenResponse> {
      const { where, response, json } = await post(paths.refresh, context.cookieMode ? {} : { refreshToken }, csrf())
      if (response.ok) return tokensFrom(where, json)
      if (response.status === 400 || response.status === 401)
        throw new SessionExpiredError(`${where} refused the refresh token (${response.status})`, { status: response.status })
      if (response.status >= 500) throw serverError(where, response.status)
      throw new AuthError(`${where} answered ${response.status}`, 'bad_response', { status: response.status })
    },

    /** Best effort: the session is already gone locally, so a failure here is only worth nothing. */
    async logout(refreshToken: string | undefined, accessToken: string | undefined) {
      const headers: Record<string, string> = { ...csrf() }
      if (accessToken) headers.authorization = `Bearer ${accessToken}`
      await post(paths.logout, refreshToken ? { refreshToken } : {}, headers).catch(() => undefined)
    },

    isAuthEndpoint: (url: URL) =>
      [paths.login, paths.refresh, paths.logout].some((path) => {
        const endpoint = new URL(context.url(path))
        return endpoint.origin === url.origin && endpoint.pathname === url.pathname
      }),
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
