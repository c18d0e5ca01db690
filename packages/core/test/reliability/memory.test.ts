import { attachAxios } from '@tokenrail/core/axios'
import axios, { type AxiosAdapter } from 'axios'
import { getEventListeners } from 'node:events'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient, webStorage } from '../../src'
import { fakeWebStorage } from '../fakeStorage'
import { unsignedJwt } from '../unsignedJwt'
import { createFakeTabs } from './fakeTabs'
import { memoryRequests } from './fuzzSettings'

const API = 'https://api.example.com'
const BATCH = 100
const TTL_SECONDS = 60

/**
 * An auth server that answers at once, in memory: every refresh rotates, and the API accepts only the
 * latest access token, so a request sent with an older one is refused (and retried by the client).
 */
function instantServer() {
  let issued = 0
  let current = ''
  let clock = Date.now()
  const pair = () => {
    const iat = Math.floor(clock / 1000)
    current = unsignedJwt({ sub: 'u1', iat, exp: iat + TTL_SECONDS, jti: ++issued })
    return { accessToken: current, refreshToken: `rt-${issued}`, expiresIn: TTL_SECONDS }
  }
  const ok = (status: number, body: unknown) => new Response(JSON.stringify(body), { status })
  const answer = (url: string, authorization: string | null | undefined) => {
    if (url.endsWith('/auth/refresh')) return { status: 200, body: pair() }
    return authorization === `Bearer ${current}` ? { status: 200, body: { ok: true } } : { status: 401, body: { error: 'invalid_token' } }
  }
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const url = input instanceof Request ? input.url : String(input)
    const { status, body } = answer(url, new Headers(init?.headers).get('authorization'))
    return ok(status, body)
  }
  const adapter: AxiosAdapter = async (config) => {
    const { status, body } = answer(`${config.baseURL}${config.url}`, config.headers.get('Authorization') as string | undefined)
    const response = { data: body, status, statusText: '', headers: {}, config, request: {} }
    if (status === 200) return response
    throw new axios.AxiosError('Request failed', axios.AxiosError.ERR_BAD_REQUEST, config, {}, response)
  }
  return {
    fetch,
    adapter,
    pair,
    refreshes: () => issued,
    /** The server revokes the current access token (as after a key rotation): the next request gets 401. */
    revokeAccessToken: () => void (current = 'revoked'),
    setClock: (time: number) => void (clock = time),
  }
}

let tabs: ReturnType<typeof createFakeTabs>
beforeEach(() => {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
  tabs = createFakeTabs({ autoDeliver: true })
  vi.stubGlobal('BroadcastChannel', tabs.BroadcastChannel)
  vi.stubGlobal('navigator', { locks: tabs.locks })
})
afterEach(() => {
  vi.useRealTimers()
  vi.unstubAllGlobals()
})

describe(`memory: ${memoryRequests} authenticated requests through auth.fetch and axios`, () => {
  it(
    'leave no growth of timers, listeners, channels, lock waiters, interceptors or refreshes in flight',
    async () => {
      const server = instantServer()
      const auth = createAuthClient({
        baseURL: API,
        fetch: server.fetch,
        storage: webStorage(fakeWebStorage()),
        crossTab: true,
        autoRefresh: true,
      })
      auth.subscribe(() => undefined)
      await vi.advanceTimersByTimeAsync(50) // no other tab answers its question for their session
      auth.setTokens(server.pair())
      const api = axios.create({ baseURL: API, adapter: server.adapter })
      const detach = attachAxios(auth, api)
      // One signal shared by every request: a listener tokenrail added per request and forgot would pile up here.
      const signal = new AbortController().signal

      const counts = () => ({
        timers: vi.getTimerCount(),
        openChannels: tabs.openChannels,
        channelListeners: tabs.channelListeners,
        queuedMessages: tabs.queued,
        lockWaiters: tabs.locks.waiting,
        abortListeners: getEventListeners(signal, 'abort').length,
        requestInterceptors: api.interceptors.request.handlers?.filter(Boolean).length,
        responseInterceptors: api.interceptors.response.handlers?.filter(Boolean).length,
        refreshing: auth.getState().refreshing,
        // A fresh token is handed out synchronously: nothing is in flight, nothing is loading.
        tokenIsSynchronous: typeof auth.policy.tokenFor(`${API}/api/todos`) === 'string',
      })

      let sent = 0
      let baseline: ReturnType<typeof counts> | undefined
      while (sent < memoryRequests) {
        const batch = Array.from({ length: BATCH }, (_, index) =>
          index % 2 ? auth.fetch(`${API}/api/todos`, { signal }).then((response) => response.status) : api.get('/api/todos', { signal }).then((response) => response.status),
        )
        expect(new Set(await Promise.all(batch))).toEqual(new Set([200]))
        sent += BATCH
        // Every 1 000 requests the token expires (a proactive refresh) or is refused (a 401, a refresh, a retry).
        if (sent % 1000 === 0) {
          if (sent % 2000 === 0) await vi.advanceTimersByTimeAsync(TTL_SECONDS * 1000)
          else server.revokeAccessToken()
          server.setClock(Date.now())
        }
        baseline ??= counts()
      }
      await vi.advanceTimersByTimeAsync(0)
      expect(counts()).toEqual(baseline)
      expect(baseline).toMatchObject({ timers: 1, openChannels: 1, abortListeners: 0, lockWaiters: 0, refreshing: false, tokenIsSynchronous: true })
      expect(server.refreshes()).toBeGreaterThanOrEqual(memoryRequests / 1000)

      detach()
      auth.destroy()
      expect(counts()).toMatchObject({ timers: 0, openChannels: 0, channelListeners: 0, requestInterceptors: 0, responseInterceptors: 0 })
    },
    60_000,
  )
})
