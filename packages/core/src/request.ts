import type { RequestPolicy } from './policy'
import { unlessAborted } from './timeout'

/** The Authorization value tokenrail writes, wherever it writes one. */
export const bearer = (token: string) => `Bearer ${token}`

const has = (value: unknown, name: PropertyKey) => typeof (value as Record<PropertyKey, unknown> | null)?.[name] === 'function'

/** A body read as it is sent or received (a web stream, a Node stream, an async iterable): it can be read once. */
export const isStream = (body: unknown) => has(body, 'getReader') || has(body, 'pipe') || has(body, Symbol.asyncIterator)

/** An HTTP answer as `request` judges it. */
export interface RequestAnswer {
  status: number
  /** The URL it finally came from, after redirects ('' or none: the request's). */
  url?: string
  /** Released (a stream is cancelled) when nobody will read it: the request is sent again instead. */
  body?: unknown
}

/** What `request` needs to know of one adapter's request. */
export interface RequestAdapter {
  /** The HTTP answer in what one try settled with (`rejected`: what it rejected with); none for a network failure. */
  answer(outcome: unknown, rejected: boolean): RequestAnswer | null | undefined
  /** The request's body: a stream is not sent again (the caller's own new try gets the new token). */
  body?: unknown
  /** @default the client's `statusCodes` */
  statusCodes?: readonly number[]
  /** What a caller's abort rejects a wait with. @default the signal's reason */
  aborted?(): unknown
  /** What a failed wait (for a refresh, or aborted) rejects with; `outcome` is the refused try's. @default `reason` */
  failed?(reason: unknown, outcome?: unknown): unknown
  /** What a try that rejected, and is not sent again, rejects with. @default the rejection as it is */
  error?(reason: unknown): unknown
}

const same = (reason: unknown) => reason

// One request after another carries the same token: its header value is made once.
let lastToken: string | undefined
let lastValue = ''
const authorization = (token: string) => (token === lastToken ? lastValue : ((lastToken = token), (lastValue = bearer(token))))

/**
 * The one authorized-request loop, for `auth.fetch`, `attachAxios` and any adapter of yours: the token the
 * policy gives, one try, and on a refused token one more try with the new token, never more. Every wait
 * settles at once when the caller's signal aborts. It asks the policy it is called on (`this`), so a policy
 * that wraps another one's questions keeps its loop.
 */
export function createRequest(statusCodes: readonly number[]): RequestPolicy['request'] {
  return async function request(this: RequestPolicy, url, send, adapter, signal) {
    const failed = (reason: unknown, outcome?: unknown) => Promise.reject(adapter.failed ? adapter.failed(reason, outcome) : reason)
    let token = this.tokenFor(url)
    if (token && typeof token === 'object') token = await unlessAborted(token, signal, adapter.aborted).catch(failed)
    let outcome: unknown
    let rejected = false
    try {
      outcome = await send(token && authorization(token))
    } catch (reason) {
      outcome = reason
      rejected = true
    }
    const answer = token && adapter.answer(outcome, rejected)
    const codes = adapter.statusCodes ?? statusCodes
    // Status first: most answers are not refused, and where one came from costs a getter.
    const retry = answer && codes.includes(answer.status) && this.retryWith(answer.url || url, answer.status, token, false, codes)
    if (retry) {
      // Nobody reads a refused answer sent again: its stream is closed, or it would hold its connection while
      // the retry waits for one. A Node stream's destroy() returns the stream; a web stream has only cancel().
      const body = answer.body as { destroy?(): unknown; cancel(): Promise<void> }
      const release = () => isStream(body) && (body.destroy?.() ?? body.cancel().catch(same))
      const next = await unlessAborted(retry, signal, adapter.aborted).catch((reason) => (release(), failed(reason, outcome)))
      // A body read as it is sent cannot go again: the caller gets the refused answer, its next try the new token.
      if (!isStream(adapter.body)) {
        release()
        try {
          return await send(authorization(next))
        } catch (reason) {
          throw adapter.error ? adapter.error(reason) : reason
        }
      }
    }
    if (rejected) throw adapter.error ? adapter.error(outcome) : outcome
    return outcome as never
  }
}
