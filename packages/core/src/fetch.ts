import { NetworkError } from './errors'
import type { RequestPolicy } from './policy'
import type { AuthFetchInit } from './types'

/**
 * `auth.fetch`: the Bearer header and the retry after a refresh, all decided by the policy. A `Request` (or a
 * streamed body) is kept unsent and cloned for each try, so a retry sends the body again intact.
 */
export function createAuthFetch(policy: RequestPolicy, transport: () => typeof fetch, resolve: (url: string | URL) => URL) {
  return async function authFetch(input: RequestInfo | URL, init: AuthFetchInit = {}): Promise<Response> {
    const { skipAuth, ...rest } = init
    const isRequest = typeof Request !== 'undefined' && input instanceof Request
    const url = isRequest ? resolve((input as Request).url) : resolve(input as string | URL)
    // `duplex` is what Node asks of a streamed body; browsers ignore it.
    const original =
      isRequest || isStream(rest.body)
        ? new Request(isRequest ? (input as Request) : url, { ...rest, duplex: 'half' } as RequestInit)
        : null

    const send = async (token: string | null) => {
      try {
        if (original) {
          const request = original.clone()
          if (token) request.headers.set('authorization', `Bearer ${token}`)
          return await transport()(request)
        }
        const headers = new Headers(rest.headers)
        if (token) headers.set('authorization', `Bearer ${token}`)
        return await transport()(url, { ...rest, headers })
      } catch (cause) {
        // A caller's own abort stays the AbortError fetch users already handle.
        if ((cause as Error)?.name === 'AbortError') throw cause
        const method = (original?.method ?? rest.method ?? 'GET').toUpperCase()
        throw new NetworkError(`${method} ${url.origin}${url.pathname} failed`, { cause })
      }
    }

    if (skipAuth) return send(null)
    const token = await policy.tokenFor(url.href)
    const response = await send(token)
    const retry = policy.retryWith(url, response.status, token)
    const next = retry && (await retry)
    if (!next) return response
    // The refused answer is not handed to anyone: release its body before the retry.
    response.body?.cancel().catch(() => undefined)
    return send(next)
  }
}

const isStream = (body: unknown) => typeof ReadableStream !== 'undefined' && body instanceof ReadableStream
