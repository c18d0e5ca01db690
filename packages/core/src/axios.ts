import axios, { type AxiosAdapter, type AxiosError, type AxiosInstance, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios'
import { isAuthError, type AuthError, type RequestPolicy } from '@tokenrail/core'

declare module 'axios' {
  interface AxiosRequestConfig {
    /** No Bearer header, no refresh, no retry for this request. @default false */
    skipAuth?: boolean
  }
}

export interface AttachAxiosOptions {
  /** Statuses that mean "token refused" and start a refresh; 403 never does, even when listed. @default the client's `statusCodes` */
  statusCodes?: readonly number[]
}

const ABSOLUTE = /^([a-z][a-z\d+\-.]*:)?\/\//i

/** The URL axios will request, built as its `buildFullPath` and `combineURLs` do (the query never moves it). */
function fullURL({ baseURL, url = '', allowAbsoluteUrls }: InternalAxiosRequestConfig): string {
  if (!baseURL || (allowAbsoluteUrls !== false && ABSOLUTE.test(url))) return url
  return url ? `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}` : baseURL
}

/**
 * The Authorization values tokenrail set lately, newest first, by any attachment. The header is taken off a
 * config as soon as its try is answered, but a copy made while it was on the wire (an app re-sending a config
 * it kept) still carries it: such a value is never taken for the caller's own. A handful is enough, since only
 * the tokens of requests in flight can be copied that way.
 */
const recent: unknown[] = []

/**
 * The answer in what a try settled with, and where it came from after redirects (a 401 from another origin must
 * not start a refresh): Node's http adapter and XHR say it; axios' fetch adapter keeps only the request's URL.
 */
function answerOf(outcome: unknown, rejected: boolean) {
  const answer = rejected ? (outcome as AxiosError | undefined)?.response : (outcome as AxiosResponse)
  const { request } = answer ?? {}
  return answer && { status: answer.status, url: request?.res?.responseUrl ?? request?.responseURL, body: answer.data }
}

/** Marks each adapter wrapper, whichever attachment made it, with what it wraps: a second one unwraps it. */
const WRAPS = Symbol()
type Wrapper = AxiosAdapter & { [WRAPS]?: InternalAxiosRequestConfig['adapter'] }

/**
 * A per-request copy of the error a refresh ended with, of the same class, with this request's own `cause`: its
 * axios error (or answer), or the shared error itself when the request was never sent. The core hands every
 * waiting caller one shared error, and axios rewrites the `stack` of whatever it rejects with: the copy keeps
 * the shared one, which the `sessionExpired` and `error` events also carry, untouched.
 */
function copy(reason: unknown, cause: unknown = reason) {
  if (!isAuthError(reason)) return reason
  const { message, code, status, error } = reason
  return new (reason.constructor as typeof AuthError)(message, { code, status, error, cause: withoutRequest(cause) })
}

/**
 * axios' answer, as a tokenrail error keeps it for its `cause`: status, headers, data and config (which carries
 * no token once its try is answered), but no `request`, whose raw headers (Node's `_header`, a fetch `Request`)
 * still hold the Bearer that was sent, for `console.error(error)` to print. Nobody else holds this answer.
 */
function withoutRequest(cause: unknown) {
  for (const part of [cause, (cause as AxiosError | undefined)?.response] as { request?: unknown }[]) if (part?.request) part.request = undefined
  return cause
}

/**
 * Puts `Authorization: Bearer` on the instance's requests to the client's `allowedOrigins`, and on a refused
 * token (401 by default) refreshes through the client's single-flight engine and retries the request once.
 * Every rule is the client's `policy`: axios, `auth.fetch` and other attached instances share one refresh.
 * It works around each request's adapter: the origin is judged on the URL the request finally goes to, and a
 * retry runs neither the app's interceptors nor its transforms again. The header is on the config only while
 * a try is on the wire. A caller's abort while a request waits for a refresh rejects it at once with axios'
 * `CanceledError`. A request with `skipAuth: true` is left alone. Returns `detach`: later requests, and configs
 * of earlier ones sent again, go out untouched.
 *
 * @example
 * const api = axios.create({ baseURL: 'https://api.example.com' })
 * const detach = attachAxios(auth, api)
 */
export function attachAxios(
  auth: { readonly policy: RequestPolicy },
  instance: AxiosInstance,
  options: AttachAxiosOptions = {},
): () => void {
  const policy = auth?.policy
  // Unless given here, the client's own `statusCodes` decide, as they do for `auth.fetch`.
  const { statusCodes } = options
  if (!policy || !instance?.interceptors || (statusCodes && !Array.isArray(statusCodes))) throw new TypeError('tokenrail: attachAxios(auth, axios instance)')

  /**
   * One request on its final config, through the adapter axios would have used, run by the policy's loop: the
   * Bearer its URL gets, and on a refused token one retry through that adapter, the body already transformed.
   * The config the app gets back has the caller's own header or none: sent again, it takes no token along.
   */
  function send(config: InternalAxiosRequestConfig, adapter: AxiosAdapter, attached: boolean): Promise<AxiosResponse> {
    const { headers } = config
    // What the config carries between tries: the caller's own header (moved to our spelling) or none. A value
    // tokenrail set, found on a copy of a config taken while it was on the wire, is not the caller's.
    let own: unknown = headers.get('Authorization')
    if (recent.includes(own)) own = undefined
    const restore = () => (headers.Authorization = own as string | undefined)
    if (own !== headers.Authorization) {
      headers.delete('Authorization')
      restore()
    }
    if (config.skipAuth || !attached) return adapter(config)
    const attempt = (authorization: string | null) => {
      if (!authorization) return adapter(config)
      if (!recent.includes(authorization) && recent.unshift(authorization) > 8) recent.pop()
      headers.Authorization = authorization
      try {
        return adapter(config).then(
          (answer) => (restore(), answer),
          (error: unknown) => (restore(), Promise.reject(error)),
        )
      } catch (error) {
        restore() // an adapter that throws instead of rejecting gets its header taken back too
        throw error
      }
    }
    // A `validateStatus` that accepts the refused status still gets the refresh, as `auth.fetch` does; an abort
    // while waiting rejects at once with what axios itself rejects an aborted request with.
    const aborted = () => new axios.CanceledError(undefined, config)
    return policy.request(fullURL(config), attempt, { answer: answerOf, body: config.data, statusCodes, aborted, failed: copy }, config.signal as AbortSignal)
  }

  // The token is chosen where the request leaves, on its final config: interceptors registered before this one
  // run after it and may still move the request. A retry from there calls the adapter again with the body
  // already transformed, so the app's interceptors and transforms run once per request. A config axios is
  // handed again (the app's own retry of `error.config`, as axios-retry does) carries a wrapper of its first
  // try, maybe another attachment's: wrapping what that one wrapped keeps tries from nesting, each with a
  // retry of its own. Once detached, a wrapper left on such a config only sends.
  let attached = true
  const request = instance.interceptors.request.use((config) => {
    const current = config.adapter as Wrapper | undefined
    const adapter = current?.[WRAPS] ?? (current || axios.defaults.adapter)
    const wrapper: Wrapper = (final) => send(final, axios.getAdapter(adapter, final), attached)
    wrapper[WRAPS] = adapter
    config.adapter = wrapper
    return config
  })

  return () => {
    attached = false
    instance.interceptors.request.eject(request)
  }
}
