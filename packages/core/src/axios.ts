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

// The token a try was sent with lives on the config object itself, which axios hands back on its response
// or error. The retry mark is a plain string key: axios' config merge keeps those on every 1.x release.
const SENT = Symbol('tokenrail.sent')
const RETRY = 'tokenrailRetry'
type Tracked = InternalAxiosRequestConfig & { [SENT]?: string | null; [RETRY]?: boolean }

/** The URL axios will request, built as its `buildFullPath` does (query left out: it never changes the origin). */
function fullURL({ baseURL, url = '', allowAbsoluteUrls }: InternalAxiosRequestConfig): string {
  const absolute = /^([a-z][a-z\d+\-.]*:)?\/\//i.test(url)
  if (!baseURL || (absolute && allowAbsoluteUrls !== false)) return url
  return url ? `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}` : baseURL
}

/**
 * A per-request copy of the error the refresh ended with, whose `cause` is this request's own axios error.
 * The core hands every waiting caller one shared error; it stays untouched for the others and for the
 * `sessionExpired` / `error` events.
 */
function withCause(reason: unknown, cause: unknown): unknown {
  if (!isAuthError(reason)) return reason
  const { message, code, status } = reason
  if (isSessionExpiredError(reason)) return new SessionExpiredError(message, { code: code as 'session_expired', status, cause })
  if (isNetworkError(reason)) return new NetworkError(message, { code: code as 'network', status, cause })
  return new AuthError(message, code, { status, cause })
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
  const { policy } = auth
  const statusCodes = options.statusCodes ?? [401]

  const send = (config: Tracked, token: string | null) => {
    config[SENT] = token
    if (token) config.headers.set('Authorization', `Bearer ${token}`)
    return config
  }

  const request = instance.interceptors.request.use((config: Tracked) => {
    // A retry already carries the token the policy chose for it.
    if (config.skipAuth || config[RETRY]) return config
    const token = policy.tokenFor(fullURL(config))
    return token === null || typeof token === 'string' ? send(config, token) : token.then((fresh) => send(config, fresh))
  })

  /**
   * The retry of a refused answer, or null to hand the caller what axios gave: `answer`, or `error` when axios
   * rejected.
   */
  function retry(answer: AxiosResponse | undefined, error?: unknown): Promise<AxiosResponse> | null {
    const config: Tracked | undefined = answer?.config
    if (!answer || !config || config.skipAuth) return null
    const next = policy.retryWith(fullURL(config), answer.status, config[SENT] ?? null, config[RETRY] === true, statusCodes)
    return (
      next &&
      next.then(
        (token) => {
          if (!token) return error ? Promise.reject(error) : answer
          // `data` is already serialised, and axios sends a string body as it is: the retry's body is the same.
          config.headers.set('Authorization', `Bearer ${token}`)
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
