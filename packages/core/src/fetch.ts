import { describeRequest, NetworkError } from './errors'
import { warnRelative } from './warnRelative'
import type { RequestPolicy } from './policy'
import { isStream, type RequestAdapter } from './request'
import type { AuthFetchInit } from './types'
import { ABSOLUTE } from './urls'

const NONE: AuthFetchInit = {}

/** One request's adapter for the loop: what it needs to name the request in a NetworkError. */
type Try = RequestAdapter & { error(cause: unknown): unknown; signal?: AbortSignal | null; method?: string; url: string }

/** A network failure, typed; a caller's own abort rejects as fetch does: with the signal's reason. */
function error(this: Try, cause: unknown) {
  return this.signal?.aborted ? cause : new NetworkError(`${describeRequest(this.method ?? 'GET', this.url)} failed`, { cause })
}
/** A fetch answer as the request loop reads it: a `Response` has its status, final URL and body. */
const answer = (response: unknown, rejected: boolean) => (rejected ? undefined : (response as Response))

/**
 * `auth.fetch`: `policy.request` over the transport. A `Request` (or a streamed body) is kept unsent and cloned
 * for each try, so a retry sends the body again intact. Everything else is passed to the transport as it came,
 * plus the header: this runs on every request.
 */
export function createAuthFetch(
  policy: RequestPolicy,
  transport: () => typeof fetch,
  resolve: (url: string | URL) => URL,
  allowed: (url: string) => boolean,
) {
  let warned = false
  return (input: RequestInfo | URL, init: AuthFetchInit = NONE): Promise<Response> => {
    try {
      const { skipAuth } = init
      // `skipAuth` is ours: the transport never sees it (a strict custom transport may refuse unknown members).
      if (skipAuth !== undefined) init = withoutSkipAuth(init)
      // A string is never a Request: the check stays off the `Request` global's getter, which is slow in Node.
      const isRequest = typeof input === 'object' && input instanceof Request
      const signal = init.signal ?? (isRequest ? input.signal : undefined)
      const href = typeof input === 'string' ? input : isRequest ? input.url : String(input)
      // Relative URLs go where the page's fetch would send them, or under baseURL where there is no page.
      const url = href.startsWith('https://') || ABSOLUTE.test(href) ? href : resolve(href).href
      if (url !== href && !warned && !allowed(url)) warned = warnRelative(href, url)
      // `duplex` is what Node asks of a streamed body; browsers ignore it.
      const original = isRequest || (init.body != null && isStream(init.body)) ? new Request(isRequest ? input : url, { ...init, duplex: 'half' } as RequestInit) : null
      const send = (authorization: string | null) => {
        if (!original) return transport()(url, authorization ? { ...init, headers: withHeader(init.headers, authorization) } : init)
        const request = original.clone()
        if (authorization) request.headers.set('authorization', authorization)
        return transport()(request)
      }
      const tried: Try = { answer, error, signal, method: original?.method ?? init.method, url }
      if (!skipAuth) return policy.request(url, send, tried, signal)
      // A transport that throws instead of rejecting fails typed too.
      return new Promise<Response>((sent) => sent(send(null))).catch((cause: unknown) => Promise.reject(tried.error(cause)))
    } catch (cause) {
      return Promise.reject(cause)
    }
  }
}

const withoutSkipAuth = ({ skipAuth: _, ...init }: AuthFetchInit): RequestInit => init


/** The caller's headers with ours: a plain record stays a plain record (no Headers object per request). */
function withHeader(headers: HeadersInit | undefined, authorization: string): HeadersInit {
  if (headers && Symbol.iterator in headers) {
    const merged = new Headers(headers)
    merged.set('authorization', authorization)
    return merged
  }
  const record: Record<string, string> = {}
  for (const name in headers) if (name.toLowerCase() !== 'authorization') record[name] = (headers as Record<string, string>)[name]!
  record.authorization = authorization
  return record
}
