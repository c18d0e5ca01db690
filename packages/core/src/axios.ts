import type { AxiosError, AxiosInstance, AxiosResponse, InternalAxiosRequestConfig } from 'axios'
import {
  AuthError,
  isAuthError,
  isNetworkError,
  isSessionExpiredError,
  NetworkError,
  SessionExpiredError,
  type RequestPolicy,
} from '@tokenrail/core'

declare module 'axios' {
  interface AxiosRequestConfig {
    /** No Bearer header, no refresh, no retry for this request. @default false */
    skipAuth?: boolean
  }
}

export interface AttachAxiosOptions {
  /** Statuses that mean "token refused" and start a refresh; 403 never does, even when listed. @default [401] */
  statusCodes?: readonly number[]
}

// Where a try went and the token it carried live on the config object itself, which axios hands back with
// its answer. The retry mark is a plain string key: axios' config merge keeps those on every 1.x release.
const SENT = Symbol('tokenrail.sent')
const SENT_TO = Symbol('tokenrail.sentTo')
const RETRY = 'tokenrailRetry'
type Tracked = InternalAxiosRequestConfig & { [SENT]?: string | null; [SENT_TO]?: string; [RETRY]?: boolean }

/** A stream body is spent after the first try: a retry would send it empty. */
const replayable = (data: unknown) =>
  typeof (data as { pipe?: unknown } | null)?.pipe !== 'function' && typeof (data as { getReader?: unknown } | null)?.getReader !== 'function'

const ABSOLUTE = /^([a-z][a-z\d+\-.]*:)?\/\//i

/**
 * The URL axios will request, built as its `buildFullPath` and `combineURLs` do (the query is left out: it
 * never changes where a request goes). Plain string work: this runs on every request.
 */
function fullURL({ baseURL, url = '', allowAbsoluteUrls }: InternalAxiosRequestConfig): string {
  if (!baseURL || (allowAbsoluteUrls !== false && ABSOLUTE.test(url))) return url
  if (!url) return baseURL
  let end = baseURL.length
  while (end > 0 && baseURL.charCodeAt(end - 1) === 47) end--
  let start = 0
  while (url.charCodeAt(start) === 47) start++
  return `${baseURL.slice(0, end)}/${url.slice(start)}`
}

/**
 * Sets the header. `headers.set` runs axios' value normalisation over the whole token on every request; the
 * core has validated the token already, so a plain property does, unless the caller put the header there
 * under another spelling, which `set` replaces in place.
 */
function setBearer({ headers }: InternalAxiosRequestConfig, token: string) {
  if (headers.has('authorization')) headers.set('Authorization', `Bearer ${token}`)
  else headers.Authorization = `Bearer ${token}`
}

/**
 * A per-request copy of the error a refresh ended with, with this request's own `cause`: its axios error, or
 * the shared error itself when the request was never sent. The core hands every waiting caller one shared
 * error, and axios rewrites the `stack` of whatever it rejects with: the copy keeps the shared one, which the
 * `sessionExpired` and `error` events also carry, untouched.
 */
function withCause(reason: unknown, cause: unknown): unknown {
  if (!isAuthError(reason)) return reason
  const Type = isSessionExpiredError(reason) ? SessionExpiredError : isNetworkError(reason) ? NetworkError : AuthError
  const { message, code, status, error } = reason
  return new Type(message, { code, status, error, cause })
}

/**
 * Puts `Authorization: Bearer` on the instance's requests to the client's `allowedOrigins`, and on a refused
 * token (401 by default) refreshes through the client's single-flight engine and retries the request once.
 * Every rule is the client's `policy`: axios, `auth.fetch` and other attached instances share one refresh.
 * A request with `skipAuth: true` is left alone. Returns `detach`, which ejects both interceptors.
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
  const statusCodes = options.statusCodes ?? [401]
  if (!policy || !instance?.interceptors || !Array.isArray(statusCodes)) {
    throw new TypeError('tokenrail: attachAxios(auth, instance, { statusCodes }) needs an auth client, an axios instance and an array of statuses')
  }

  const send = (config: Tracked, url: string, token: string | null) => {
    config[SENT_TO] = url
    config[SENT] = token
    if (token) setBearer(config, token)
    return config
  }

  const request = instance.interceptors.request.use((config: Tracked) => {
    // A retry already carries the token the policy chose for it.
    if (config.skipAuth || config[RETRY]) return config
    const url = fullURL(config)
    const token = policy.tokenFor(url)
    if (token === null || typeof token === 'string') return send(config, url, token)
    return token.then(
      (fresh) => send(config, url, fresh),
      (reason: unknown) => {
        throw withCause(reason, reason)
      },
    )
  })

  /**
   * The retry of a refused answer, or null to hand the caller what axios gave: `answer`, or `error` when axios
   * rejected.
   */
  function retry(answer: AxiosResponse | undefined, error?: unknown): Promise<AxiosResponse> | null {
    const config: Tracked | undefined = answer?.config
    if (!answer || !config || config.skipAuth) return null
    const next = policy.retryWith(config[SENT_TO] ?? fullURL(config), answer.status, config[SENT] ?? null, config[RETRY] === true, statusCodes)
    return (
      next &&
      next.then(
        (token) => {
          // The refresh is done either way, so the caller's own new try goes out with the new token.
          if (!token || !replayable(config.data)) return error ? Promise.reject(error) : answer
          // `data` is already serialised, and axios sends a string body as it is: the retry's body is the same.
          setBearer(config, token)
          return instance.request<unknown, AxiosResponse>({ ...config, [SENT]: token, [RETRY]: true } as Tracked)
        },
        (reason: unknown) => {
          throw withCause(reason, error ?? answer)
        },
      )
    )
  }

  const response = instance.interceptors.response.use(
    // A `validateStatus` that accepts the refused status still gets the refresh, as `auth.fetch` does.
    (answer) => retry(answer) ?? answer,
    (error: unknown) => retry((error as AxiosError | undefined)?.response, error) ?? Promise.reject(error),
  )

  return () => {
    instance.interceptors.request.eject(request)
    instance.interceptors.response.eject(response)
  }
}
