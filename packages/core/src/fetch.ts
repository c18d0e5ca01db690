import { describeRequest, NetworkError } from './errors'
import { unlessAborted, type RequestPolicy } from './policy'
import type { AuthFetchInit } from './types'
import { ABSOLUTE } from './urls'

/**
 * `auth.fetch`: the Bearer header and the retry after a refresh, all decided by the policy. A `Request` (or a
 * streamed body) is kept unsent and cloned for each try, so a retry sends the body again intact. Everything
 * else is passed to the transport as it came, plus the header: this runs on every request.
 */
export function createAuthFetch(policy: RequestPolicy, transport: () => typeof fetch, resolve: (url: string | URL) => URL) {
  return async function authFetch(input: RequestInfo | URL, init: AuthFetchInit = {}): Promise<Response> {
    const { skipAuth } = init
    // `skipAuth` is ours: the transport never sees it (a strict custom transport may refuse unknown members).
    if (skipAuth !== undefined) init = withoutSkipAuth(init)
    const isRequest = typeof Request !== 'undefined' && input instanceof Request
    const signal = init.signal ?? (input as Request).signal
    const href = isRequest ? (input as Request).url : String(input)
    // Relative URLs go where the page's fetch would send them, or under baseURL where there is no page.
    const url = ABSOLUTE.test(href) ? href : resolve(href).href
    // `duplex` is what Node asks of a streamed body; browsers ignore it.
    const original =
      isRequest || isStream(init.body)
        ? new Request(isRequest ? (input as Request) : url, { ...init, duplex: 'half' } as RequestInit)
        : null

    const send = async (token: string | null) => {
      try {
        if (!original) return await transport()(url, token ? { ...init, headers: withBearer(init.headers, token) } : init)
        const request = original.clone()
        if (token) request.headers.set('authorization', `Bearer ${token}`)
        return await transport()(request)
      } catch (cause) {
        // A caller's own abort rejects as fetch does: with the signal's reason (an AbortError by default).
        if (signal?.aborted) throw cause
        throw new NetworkError(`${describeRequest(original?.method ?? init.method ?? 'GET', url)} failed`, { cause })
      }
    }

    if (skipAuth) return send(null)
    const pending = policy.tokenFor(url)
    const token = typeof pending === 'object' && pending ? await unlessAborted(pending, signal) : pending
    const response = await send(token)
    // Judged where the answer came from: a redirect to another origin that answers 401 starts no refresh.
    const retry = policy.retryWith(response.url || url, response.status, token)
    const next = retry && (await unlessAborted(retry, signal))
    if (!next) return response
    // The refused answer is not handed to anyone: release its body before the retry.
    response.body?.cancel().catch(() => undefined)
    return send(next)
  }
}

const withoutSkipAuth = ({ skipAuth: _, ...init }: AuthFetchInit): RequestInit => init

/** A body read as it is sent (a stream, or an async iterable in Node) is spent after one try. */
const isStream = (body: unknown) =>
  (typeof ReadableStream !== 'undefined' && body instanceof ReadableStream) || Symbol.asyncIterator in Object(body)

/** The caller's headers with ours: a plain record stays a plain record (no Headers object per request). */
function withBearer(headers: HeadersInit | undefined, token: string): HeadersInit {
  const bearer = `Bearer ${token}`
  if (headers && Symbol.iterator in headers) {
    const merged = new Headers(headers)
    merged.set('authorization', bearer)
    return merged
  }
  const record: Record<string, string> = {}
  for (const name in headers) if (name.toLowerCase() !== 'authorization') record[name] = (headers as Record<string, string>)[name]!
  record.authorization = bearer
  return record
}
