import { isAxiosError } from 'axios'
import type { Backend, BackendName } from './backend'

/** The libraries in the table, in its column order. */
export const LIBRARIES = ['tokenrail (auth.fetch)', 'tokenrail (attachAxios)', 'axios-auth-refresh', 'axios-jwt'] as const
export type LibraryName = (typeof LIBRARIES)[number]

/** An error as the application could inspect it: no tokens in here, only names, codes and server bodies. */
export interface ErrorReport {
  name: string
  message: string
  /** The error's own `code` (tokenrail's AuthError codes, axios' ERR_BAD_REQUEST...), when it has one. */
  code?: string
  /** What the server answered, when the error carries it (an AxiosError's status and body, tokenrail's `error`). */
  detail?: string
}

/**
 * What one protected GET ended in, as application code sees it: the response the library finally resolved (after
 * whatever refresh and retry it did), or the error it rejected with. An axios rejection that carries the response
 * of the requested URL itself counts as that response (axios rejects every non-2xx status).
 */
export type Outcome = { status: number } | { error: ErrorReport }

/**
 * One library, set up for one backend the way its documentation shows, holding one user's session. Each step of
 * the table creates a fresh one (a fresh login), runs, and destroys it.
 *
 * The client's clock is this process's `Date` (see `clientClock`): the steps move it, so libraries that read
 * `Date.now()` follow; a library with a clock option can be given `ClientContext.now` instead.
 */
export interface ClientUnderTest {
  /**
   * Starts the session. Password backends: log in with `backend.credentials` through the library (or as its docs
   * show next to it). OAuth: obtain the first tokens (e.g. `backend.rawLogin()`, which walks the code + PKCE flow, or
   * the library's own redirect flow with `walkAuthorization`) and hand them to the library.
   */
  login(): Promise<void>
  /** One GET of `url` through the library. Never throws: see `Outcome` (`outcomeOf*` below build it). */
  get(url: string): Promise<Outcome>
  /** Ends the session the way the library (or its docs) does: a server revocation if it makes one. Never throws. */
  logout(): Promise<void>
  /**
   * The tokens the library holds now (`{}` when none), the refresh token included: the rotation, logout and
   * refused-refresh steps hand it to the server directly (read it from the library's storage if it has no getter).
   */
  tokens(): Promise<{ accessToken?: string; refreshToken?: string }>
  /**
   * What the library itself says about the session: 'active', 'ended' (it told the app the user must log in again:
   * an event, a status, cleared tokens it exposes as logged out), or 'unknown' when it has no such notion.
   */
  session(): Promise<'active' | 'ended' | 'unknown'>
  /** Errors the library reported besides rejecting requests (events such as tokenrail's `error`), oldest first. */
  reports(): ErrorReport[]
  /** Releases timers, listeners and interceptors. */
  destroy(): void | Promise<void>
}

export interface ClientContext {
  backend: Backend
  /** The client's clock in ms (this process's moved `Date.now`), for libraries that take a clock option. */
  now(): number
  /**
   * OAuth only: the client_id the library is configured with. The "config error" step sets one the provider does
   * not know (while the first tokens still come from the registered client), so that the refresh answers
   * invalid_client. Default: `backend.oauth.clientId`.
   */
  clientId?: string
}

/** Builds a logged-out client under test for `ctx.backend`. */
export type ClientFactory = (ctx: ClientContext) => Promise<ClientUnderTest>

/** One library's set-ups, per backend. A backend without an entry shows "not configured" in the table. */
export type LibraryDrivers = Partial<Record<BackendName, ClientFactory>>

/** A URL without its origin: the ports change from run to run, the table should not. */
const pathOf = (url: string | undefined) => (url ? url.replace(/^https?:\/\/[^/]+/, '') : '')

/** Reads any thrown value into an `ErrorReport` (an AxiosError's status and body, a `cause` one level down). */
export function describeError(error: unknown): ErrorReport {
  if (isAxiosError(error)) {
    const { response } = error
    return {
      name: error.name,
      message: error.message,
      code: error.code,
      detail: response ? `${pathOf(response.config?.url)} ${response.status} ${JSON.stringify(response.data)}`.trim() : undefined,
    }
  }
  if (error instanceof Error) {
    const record = error as Error & { code?: unknown; error?: unknown; status?: unknown; cause?: unknown }
    const parts = [record.status, record.error].filter((part) => part !== undefined).map(String)
    if (record.cause !== undefined) parts.push(`cause: ${JSON.stringify(describeError(record.cause))}`)
    return {
      name: error.name,
      message: error.message,
      code: typeof record.code === 'string' ? record.code : undefined,
      detail: parts.length ? parts.join(' ') : undefined,
    }
  }
  return { name: typeof error, message: String(error) }
}

/** An axios request's outcome: a rejection carrying the requested URL's own response counts as that status. */
export async function outcomeOfAxios(request: Promise<{ status: number }>, url: string): Promise<Outcome> {
  try {
    return { status: (await request).status }
  } catch (error) {
    if (isAxiosError(error) && error.response && error.response.config?.url === url) return { status: error.response.status }
    return { error: describeError(error) }
  }
}

/** A fetch-like request's outcome. */
export async function outcomeOfFetch(request: Promise<Response>): Promise<Outcome> {
  try {
    const response = await request
    await response.arrayBuffer()
    return { status: response.status }
  } catch (error) {
    return { error: describeError(error) }
  }
}

/** One line for the table. */
export function describeOutcome(outcome: Outcome): string {
  if ('status' in outcome) return `status ${outcome.status}`
  const { name, message, code, detail } = outcome.error
  return `${name}${code ? ` (${code})` : ''}: ${message}${detail ? ` [${detail}]` : ''}`
}
