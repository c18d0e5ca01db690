import { attachAxios, type AttachAxiosOptions } from '@tokenrail/core/axios'
import axios, {
  AxiosError,
  type AxiosAdapter,
  type AxiosInstance,
  type AxiosResponse,
  type CreateAxiosDefaults,
  type InternalAxiosRequestConfig,
} from 'axios'
import { getResponse, http, HttpResponse } from 'msw'
import { getEventListeners } from 'node:events'
import { Readable } from 'node:stream'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import {
  createAuthClient,
  isNetworkError,
  NetworkError,
  SessionExpiredError,
  type AuthClient,
  type AuthClientOptions,
  type RequestPolicy,
} from '../src'
import { API, credentials, settledWithin, TODOS, useMockApi } from './mockApi'

const { mock, server, seen, to } = useMockApi({ accessTokenTtl: 300 })

let cleanups: (() => void)[] = []
const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => void unhandled.push(reason)
beforeEach(() => void process.on('unhandledRejection', onUnhandled))
afterEach(async () => {
  // A rejection nobody handled surfaces a macrotask later: give it that turn before looking.
  await new Promise((resolve) => setImmediate(resolve))
  process.off('unhandledRejection', onUnhandled)
  cleanups.forEach((cleanup) => cleanup())
  cleanups = []
  expect(unhandled.splice(0)).toEqual([])
})

async function loggedIn(options: Partial<AuthClientOptions> = {}) {
  const auth = createAuthClient({ baseURL: API, ...options })
  cleanups.push(() => auth.destroy())
  await auth.login(credentials)
  return auth
}

/** An axios instance on the API (Node's http adapter, which msw intercepts) with the interceptor attached. */
function attached(auth: { readonly policy: RequestPolicy }, options?: AttachAxiosOptions, defaults: CreateAxiosDefaults = {}) {
  const instance = axios.create({ baseURL: API, ...defaults })
  cleanups.push(attachAxios(auth, instance, options))
  return instance
}

/** The server's clock passes the access token's expiry; the client does not know (the 401 path). */
const expireOnServer = () => mock.clock.advance(301)

const bearer = (auth: AuthClient) => `Bearer ${auth.getState().accessToken}`

const notAuthEndpoint = ({ url }: { url: string }) => !url.startsWith(`${API}/auth/`)

/** Holds the refresh endpoint's answer until released; the mock server answers it then, as usual. */
function holdRefresh() {
  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  server.use(
    http.post(`${API}/auth/refresh`, async ({ request }) => {
      await held
      return getResponse(mock.handlers, request)
    }),
  )
  return release
}

/** The client's policy, with a log of each retry question and whether a refresh was in flight when it was asked. */
function watchedPolicy(auth: AuthClient) {
  const asked: { status: number; refreshing: boolean }[] = []
  const urls: string[] = []
  const policy: RequestPolicy = {
    tokenFor(url) {
      urls.push(String(url))
      return auth.policy.tokenFor(url)
    },
    retryWith(url, status, ...rest) {
      asked.push({ status, refreshing: auth.getState().refreshing })
      return auth.policy.retryWith(url, status, ...rest)
    },
    unlessAborted: auth.policy.unlessAborted,
    // The client's own request loop, asking the two questions above.
    request: auth.policy.request,
  }
  return { policy, asked, urls }
}

/** An adapter that sends nothing and answers 200, recording what would have gone out. */
function recordingAdapter() {
  const sent: { url: string; authorization: string | null }[] = []
  const adapter: AxiosAdapter = async (config) => {
    const header = config.headers.get('Authorization')
    sent.push({ url: axios.getUri(config), authorization: typeof header === 'string' ? header : null })
    return { data: null, status: 200, statusText: 'OK', headers: {}, config }
  }
  return { adapter, sent }
}

/**
 * A GET read as a stream through one of axios' own adapters, whose first try is refused (the token expired on
 * the server): its answer, and the body of each answer the adapter rejected.
 */
async function streamedAfterRefusal<Body>(name: 'http' | 'fetch') {
  const refused: Body[] = []
  const adapter: AxiosAdapter = (config) =>
    axios.getAdapter(name, config)(config).catch((error: AxiosError) => {
      refused.push(error.response!.data as Body)
      throw error
    })
  const api = attached(await loggedIn(), {}, { adapter })
  expireOnServer()
  const response = await api.get('/api/todos', { responseType: 'stream' })
  return { response, refused }
}

const rejectionOf = (promise: Promise<unknown>) => promise.then(
  () => expect.unreachable('the request should have been rejected'),
  (reason: unknown) => reason,
)

describe('attachAxios: the Bearer header', () => {
  it('goes on requests to the client origin, relative to baseURL or absolute', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    expect((await api.get('/api/todos')).status).toBe(200)
    expect((await api.get(TODOS)).status).toBe(200)
    expect(to('/api/todos').map((request) => request.authorization)).toEqual([bearer(auth), bearer(auth)])
  })

  it.each([
    ['a look-alike host', 'https://api.example.com.evil.org/x'],
    ['another scheme', 'http://api.example.com/x'],
    ['another port', 'https://api.example.com:8443/x'],
    ['a host that only shares a prefix', 'https://apiexample.com/x'],
    ['another host', 'https://cdn.example.org/x'],
  ])('never goes to %s, even as an absolute URL on an instance with a baseURL', async (_, url) => {
    const auth = await loggedIn()
    const api = attached(auth)
    expect((await api.get(url)).status).toBe(200)
    expect(seen.filter((request) => request.url === url)).toEqual([{ method: 'GET', url, authorization: null }])
  })

  it.each([
    ['//api.example.com.evil.org/x', null],
    ['//evil.org/x', null],
    ['//api.example.com:8443/x', null],
    ['//api.example.com/x', 'token'],
  ])('a protocol-relative %s resolves against the page as the browser will', async (url, expected) => {
    vi.stubGlobal('location', new URL('https://app.example.com/page'))
    cleanups.push(() => vi.unstubAllGlobals())
    const auth = await loggedIn({ allowedOrigins: [API] })
    const { adapter, sent } = recordingAdapter()
    const api = attached(auth, {}, { adapter })
    await api.get(url)
    expect(sent).toEqual([{ url, authorization: expected && bearer(auth) }])
  })

  it('follows allowAbsoluteUrls: false, where axios sends an absolute URL under baseURL', async () => {
    const auth = await loggedIn()
    const { adapter, sent } = recordingAdapter()
    const api = attached(auth, {}, { adapter, allowAbsoluteUrls: false })
    await api.get('https://evil.org/x')
    expect(sent).toEqual([{ url: `${API}/https://evil.org/x`, authorization: bearer(auth) }])
  })

  it('is decided on the final URL: a request interceptor registered before attachAxios (run after it) that moves the request elsewhere sends no Bearer', async () => {
    const auth = await loggedIn()
    const api = axios.create({ baseURL: API })
    api.interceptors.request.use((config) => {
      config.baseURL = 'https://cdn.example.org' // e.g. per-tenant or per-region routing
      return config
    })
    cleanups.push(attachAxios(auth, api))
    await api.get('/x')
    expect(seen.filter((request) => request.url.startsWith('https://cdn.example.org/'))).toEqual([
      { method: 'GET', url: 'https://cdn.example.org/x', authorization: null },
    ])
  })

  it.each([
    [API, '/api/todos'],
    [`${API}/`, 'api/todos'],
    [`${API}//`, '//api/todos'],
    [`${API}/v1`, ''],
    [`${API}/v1`, undefined],
    [`${API}/v1`, 'https://cdn.example.org/x'],
    [`${API}/v1`, 'HTTPS://cdn.example.org/x'],
    [`${API}/v1`, '//cdn.example.org/x'],
    [`${API}/v1`, 'git+ssh://cdn.example.org/x'],
    [undefined, 'https://cdn.example.org/x'],
  ])('asks the policy about the URL axios builds from baseURL %s and url %s', async (baseURL, url) => {
    const auth = await loggedIn()
    const { policy, urls } = watchedPolicy(auth)
    const { adapter } = recordingAdapter()
    const api = attached({ policy }, {}, { adapter, baseURL })
    await api.request({ url, params: { q: 1 } })
    // The query never changes where a request goes, so the policy may be asked without it.
    const withoutQuery = (href: string) => Object.assign(new URL(href, API), { search: '' }).href
    expect(urls.map(withoutQuery)).toEqual([withoutQuery(api.getUri({ url, params: { q: 1 } }))])
  })

  it('is not put on a request with skipAuth, and its 401 is not retried', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    expireOnServer()
    const error = await rejectionOf(api.get('/api/todos', { skipAuth: true }))
    expect(error).toBeInstanceOf(AxiosError)
    expect((error as AxiosError).response?.status).toBe(401)
    expect(to('/api/todos')).toEqual([expect.objectContaining({ authorization: null })])
    expect(mock.stats.refreshAttempts).toBe(0)
  })

  it('is not put on a request once logged out', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    await auth.logout()
    expect((await rejectionOf(api.get('/api/todos')) as AxiosError).response?.status).toBe(401)
    expect(to('/api/todos')).toEqual([expect.objectContaining({ authorization: null })])
  })

  it('waits for a refresh in flight and goes out once, with the new token', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    const release = holdRefresh()
    const refreshing = auth.refresh()
    const started = api.get('/api/todos')
    await vi.waitFor(() => expect(to('/auth/refresh')).toHaveLength(1))
    expect(to('/api/todos')).toHaveLength(0)
    release()
    const token = await refreshing
    expect((await started).status).toBe(200)
    expect(to('/api/todos')).toEqual([expect.objectContaining({ authorization: `Bearer ${token}` })])
  })

  it('a token inside the leeway is refreshed before sending', async () => {
    let clock = Date.now()
    const auth = await loggedIn({ now: () => clock })
    const old = bearer(auth)
    const api = attached(auth)
    clock += 280_000
    expect((await api.get('/api/todos')).status).toBe(200)
    expect(mock.stats.refreshes).toBe(1)
    expect(to('/api/todos').map((request) => request.authorization)).toEqual([bearer(auth)])
    expect(bearer(auth)).not.toBe(old)
  })
})

describe('attachAxios: refresh and retry', () => {
  it('five parallel 401s arriving during a refresh are all retried and succeed, with one refresh', async () => {
    const auth = await loggedIn()
    const { policy, asked } = watchedPolicy(auth)
    const api = attached({ policy })
    const old = bearer(auth)
    expireOnServer()
    const release = holdRefresh()
    const requests = Array.from({ length: 5 }, () => api.get('/api/todos'))
    // Every 401 is in while the first one's refresh is still held.
    await vi.waitFor(() => expect(asked).toHaveLength(5))
    expect(asked.slice(1)).toEqual(Array.from({ length: 4 }, () => ({ status: 401, refreshing: true })))
    release()
    const responses = await Promise.all(requests)
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200, 200])
    expect(mock.stats.refreshAttempts).toBe(1)
    expect(mock.stats.refreshes).toBe(1)
    const sent = to('/api/todos').map((request) => request.authorization)
    expect(sent.filter((authorization) => authorization === old)).toHaveLength(5)
    expect(sent.filter((authorization) => authorization === bearer(auth))).toHaveLength(5)
  })

  it('a late 401 replays with the current token without a second refresh', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    const first = bearer(auth)
    let answerSlow!: () => void
    const slowHeld = new Promise<void>((resolve) => (answerSlow = resolve))
    server.use(
      http.get(`${API}/api/slow`, async ({ request }) => {
        if (request.headers.get('authorization') !== first) return HttpResponse.json({ slow: true })
        await slowHeld
        return new HttpResponse(null, { status: 401 })
      }),
    )
    const slow = api.get('/api/slow')
    await vi.waitFor(() => expect(to('/api/slow')).toHaveLength(1))
    expireOnServer()
    expect((await api.get('/api/todos')).status).toBe(200)
    expect(mock.stats.refreshes).toBe(1)
    answerSlow()
    expect((await slow).data).toEqual({ slow: true })
    expect(mock.stats.refreshAttempts).toBe(1)
    expect(to('/api/slow').map((request) => request.authorization)).toEqual([first, bearer(auth)])
  })

  it('two instances share one refresh', async () => {
    const auth = await loggedIn()
    const one = attached(auth)
    const two = attached(auth)
    expireOnServer()
    const responses = await Promise.all([one.get('/api/todos'), two.get('/api/todos'), one.get('/api/todos'), two.get(TODOS)])
    expect(responses.map((response) => response.status)).toEqual([200, 200, 200, 200])
    expect(mock.stats.refreshAttempts).toBe(1)
  })

  it('axios and auth.fetch share one refresh', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    expireOnServer()
    const [viaAxios, viaFetch] = await Promise.all([api.get('/api/todos'), auth.fetch(TODOS), api.get('/api/todos')])
    expect(viaAxios.status).toBe(200)
    expect(viaFetch.status).toBe(200)
    expect(mock.stats.refreshAttempts).toBe(1)
  })

  it('a POST with a JSON body is retried with the same method, body and headers', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    const bodies: { method: string; type: string | null; custom: string | null; body: string }[] = []
    const record = async ({ request }: { request: Request }) => {
      if (!request.url.endsWith('/api/todos')) return
      const { method, headers } = request
      bodies.push({ method, type: headers.get('content-type'), custom: headers.get('x-trace'), body: await request.clone().text() })
    }
    server.events.on('request:start', record)
    cleanups.push(() => server.events.removeListener('request:start', record))
    expireOnServer()
    const todo = { title: 'buy "milk" & eggs', done: true }
    const response = await api.post('/api/todos', todo, { headers: { 'X-Trace': 'abc' } })
    expect(response.status).toBe(201)
    expect(response.data).toMatchObject(todo)
    const expected = { method: 'POST', type: 'application/json', custom: 'abc', body: JSON.stringify(todo) }
    expect(bodies).toEqual([expected, expected])
    expect(mock.stats.refreshes).toBe(1)
  })

  it('a stream body is not replayed: the caller gets its 401 once the refresh is done, and its next try succeeds', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    const old = bearer(auth)
    expireOnServer()
    const todo = JSON.stringify({ title: 'streamed' })
    const error = await rejectionOf(api.post('/api/todos', Readable.from([todo]), { headers: { 'Content-Type': 'application/json' } }))
    expect((error as AxiosError).response?.status).toBe(401)
    expect(mock.stats.refreshes).toBe(1)
    expect(bearer(auth)).not.toBe(old)
    expect((await api.post('/api/todos', Readable.from([todo]), { headers: { 'Content-Type': 'application/json' } })).status).toBe(201)
    expect(to('/api/todos').map((request) => request.authorization)).toEqual([old, bearer(auth)])
    expect(mock.stats.refreshAttempts).toBe(1)
  })

  it('a refused answer read as a Node stream is released before the retry, as auth.fetch cancels its body', async () => {
    const { response, refused } = await streamedAfterRefusal<Readable>('http')
    expect(response.status).toBe(200)
    ;(response.data as Readable).resume()
    expect(refused).toHaveLength(1)
    // Left open, it would hold its socket: with a keep-alive agent of one socket the retry would wait for it.
    expect(refused[0]!.destroyed || refused[0]!.readableEnded).toBe(true)
  })

  it('a refused answer read as a web ReadableStream (the fetch adapter) is cancelled before the retry', async () => {
    const { response, refused } = await streamedAfterRefusal<ReadableStream>('fetch')
    expect(await new Response(response.data as ReadableStream).json()).toEqual(expect.any(Array))
    expect(refused).toHaveLength(1)
    // A cancelled stream reads as done at once, without the body the server sent.
    expect(await refused[0]!.getReader().read()).toEqual({ done: true, value: undefined })
  })

  it('a retry that gets 401 again reaches the caller as its axios error, after one refresh', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    server.use(http.get(`${API}/api/always-401`, () => HttpResponse.json({ error: 'no' }, { status: 401 })))
    const error = await rejectionOf(api.get('/api/always-401'))
    expect(error).toBeInstanceOf(AxiosError)
    expect((error as AxiosError).response?.data).toEqual({ error: 'no' })
    expect(to('/api/always-401').map((request) => request.authorization)).toEqual([expect.any(String), bearer(auth)])
    expect(mock.stats.refreshAttempts).toBe(1)
  })

  it('403 is handed to the caller without a refresh', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    server.use(http.get(`${API}/api/forbidden`, () => new HttpResponse(null, { status: 403 })))
    expect((await rejectionOf(api.get('/api/forbidden')) as AxiosError).response?.status).toBe(403)
    expect(to('/api/forbidden')).toHaveLength(1)
    expect(mock.stats.refreshAttempts).toBe(0)
  })

  it('a refresh call through the same instance cannot loop: its 400 or 401 goes back to the caller', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    const refused = await rejectionOf(api.post('/auth/refresh', { refreshToken: 'spent-or-unknown' }))
    expect((refused as AxiosError).response?.status).toBe(400)
    server.use(http.post(`${API}/auth/refresh`, () => new HttpResponse(null, { status: 401 })))
    const unauthorized = await rejectionOf(api.post('/auth/refresh', { refreshToken: 'spent-or-unknown' }))
    expect((unauthorized as AxiosError).response?.status).toBe(401)
    expect(to('/auth/refresh')).toHaveLength(2)
    expect(auth.getState().status).toBe('authenticated')
  })

  it('attached twice to one instance (a module evaluated again, an effect without cleanup), a request is still retried at most once, after one refresh', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    cleanups.push(attachAxios(auth, api))
    server.use(http.get(`${API}/api/always-401`, () => new HttpResponse(null, { status: 401 })))
    expect(((await rejectionOf(api.get('/api/always-401'))) as AxiosError).response?.status).toBe(401)
    expect(to('/api/always-401')).toHaveLength(2)
    expect(mock.stats.refreshAttempts).toBe(1)
  })

  it('a refused status the caller accepts with validateStatus is refreshed and retried too', async () => {
    const auth = await loggedIn()
    const api = attached(auth, {}, { validateStatus: () => true })
    expireOnServer()
    const response = await api.get('/api/todos')
    expect(response.status).toBe(200)
    expect(mock.stats.refreshes).toBe(1)
    server.use(http.get(`${API}/api/always-401`, () => new HttpResponse(null, { status: 401 })))
    expect((await api.get('/api/always-401')).status).toBe(401)
    expect(mock.stats.refreshAttempts).toBe(2)
  })
})

describe('attachAxios: the app’s own interceptors and transforms around a retry', () => {
  it('a response interceptor added after attachAxios runs once on a retried answer', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    const unwrap = vi.fn((response: AxiosResponse) => response.data)
    api.interceptors.response.use(unwrap)
    expireOnServer()
    const data: unknown = await api.get('/api/todos')
    expect(mock.stats.refreshes).toBe(1)
    expect(data).toEqual(expect.any(Array))
    expect(unwrap).toHaveBeenCalledTimes(1)
  })

  it('a request interceptor runs once, and a custom transformRequest is applied once to the retried body', async () => {
    const auth = await loggedIn()
    const bodies: string[] = []
    server.use(
      http.post(`${API}/api/envelope`, async ({ request }) => {
        bodies.push(await request.text())
        return bodies.length === 1 ? new HttpResponse(null, { status: 401 }) : HttpResponse.json({ ok: true })
      }),
    )
    const stamp = vi.fn((config: InternalAxiosRequestConfig) => config)
    const api = attached(auth, {}, {
      headers: { 'Content-Type': 'application/json' },
      transformRequest: [(data: unknown) => JSON.stringify({ envelope: data })],
    })
    api.interceptors.request.use(stamp)
    expect((await api.post('/api/envelope', { title: 'milk' })).data).toEqual({ ok: true })
    const sent = JSON.stringify({ envelope: { title: 'milk' } })
    expect(bodies).toEqual([sent, sent])
    expect(stamp).toHaveBeenCalledTimes(1)
    expect(mock.stats.refreshes).toBe(1)
  })

  it('the app’s own retry of error.config (as axios-retry does) is one more request with one retry of its own, not two', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    server.use(
      http.get(`${API}/api/flaky`, () => new HttpResponse(null, { status: 503 }), { once: true }),
      http.get(`${API}/api/flaky`, () => new HttpResponse(null, { status: 401 })),
    )
    api.interceptors.response.use(undefined, (error: AxiosError) =>
      error.response?.status === 503 && error.config ? api.request(error.config) : Promise.reject(error),
    )
    const error = await rejectionOf(api.get('/api/flaky'))
    expect((error as AxiosError).response?.status).toBe(401)
    // The 503, the app's retry (401), and tokenrail's retry of that after one refresh.
    expect(to('/api/flaky')).toHaveLength(3)
    expect(mock.stats.refreshAttempts).toBe(1)
  })
})

describe('attachAxios: the app re-sends error.config', () => {
  it('to a fallback host: the Bearer of the first try does not go along', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    server.use(http.get(`${API}/api/flaky`, () => new HttpResponse(null, { status: 503 })))
    api.interceptors.response.use(undefined, (error: AxiosError) => {
      if (error.response?.status !== 503 || !error.config) return Promise.reject(error)
      error.config.baseURL = 'https://cdn.example.org' // fail over to a mirror
      return api.request(error.config)
    })
    expect((await api.get('/api/flaky')).status).toBe(200)
    expect(seen.filter((request) => request.url.startsWith('https://cdn.example.org/'))).toEqual([
      { method: 'GET', url: 'https://cdn.example.org/api/flaky', authorization: null },
    ])
  })

  it('after a logout, or with skipAuth: no Bearer goes out', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    server.use(http.get(`${API}/api/forbidden`, () => new HttpResponse(null, { status: 403 })))
    const { config } = (await rejectionOf(api.get('/api/forbidden'))) as AxiosError
    await auth.logout()
    await rejectionOf(api.request(config!))
    await rejectionOf(api.request({ ...config!, skipAuth: true }))
    expect(to('/api/forbidden').map((request) => request.authorization)).toEqual([expect.stringMatching(/^Bearer /), null, null])
  })
})

describe('attachAxios: the header is on the config only while a try is on the wire', () => {
  it('a caller’s own Authorization header goes out where tokenrail puts none, and is given back on the config where it put one', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    server.use(http.get(`${API}/api/forbidden`, () => new HttpResponse(null, { status: 403 })))
    await api.get('https://cdn.example.org/x', { headers: { Authorization: 'Bearer cdn-key' } })
    const { config } = (await rejectionOf(api.get('/api/forbidden', { headers: { authorization: 'Basic b3du' } }))) as AxiosError
    expect(config?.headers.get('Authorization')).toBe('Basic b3du')
    expect(seen.filter(notAuthEndpoint)).toEqual([
      { method: 'GET', url: 'https://cdn.example.org/x', authorization: 'Bearer cdn-key' },
      { method: 'GET', url: `${API}/api/forbidden`, authorization: bearer(auth) },
    ])
  })

  it('an error the app logs carries no token: the Bearer is off its config once the try is answered', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    server.use(http.get(`${API}/api/forbidden`, () => new HttpResponse(null, { status: 403 })))
    const error = (await rejectionOf(api.get('/api/forbidden'))) as AxiosError
    expect(to('/api/forbidden')).toEqual([expect.objectContaining({ authorization: bearer(auth) })])
    expect(error.config?.headers.has('Authorization')).toBe(false)
    expect(JSON.stringify(error)).not.toContain(auth.getState().accessToken)
  })

  it('a copy of a config made while its try is on the wire takes no Bearer to another host', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    let kept: InternalAxiosRequestConfig | undefined
    api.interceptors.request.use((config) => (kept = config))
    let answer!: () => void
    const held = new Promise<void>((resolve) => (answer = resolve))
    server.use(
      http.get(`${API}/api/slow`, async () => {
        await held
        return HttpResponse.json({ slow: true })
      }),
    )
    const slow = api.get('/api/slow')
    await vi.waitFor(() => expect(to('/api/slow')).toHaveLength(1))
    // e.g. a hedged request: the same call sent to a mirror while the first one is slow
    expect((await api.request({ ...kept!, baseURL: 'https://cdn.example.org' })).status).toBe(200)
    answer()
    expect((await slow).data).toEqual({ slow: true })
    expect(seen.filter(notAuthEndpoint)).toEqual([
      { method: 'GET', url: `${API}/api/slow`, authorization: bearer(auth) },
      { method: 'GET', url: 'https://cdn.example.org/api/slow', authorization: null },
    ])
  })
})

describe('attachAxios: the header is taken back in every way a try can end', () => {
  const offline: AxiosAdapter = (config) => {
    throw new AxiosError('offline', AxiosError.ERR_NETWORK, config)
  }

  it('from an adapter that throws instead of rejecting, on the first try and on the retry', async () => {
    const auth = await loggedIn()
    const first = (await rejectionOf(attached(auth, {}, { adapter: offline }).get('/api/todos'))) as AxiosError
    let calls = 0
    const failingRetry: AxiosAdapter = (config) => (calls++ === 0 ? axios.getAdapter('http', config)(config) : offline(config))
    expireOnServer()
    const retried = (await rejectionOf(attached(auth, {}, { adapter: failingRetry }).get('/api/todos'))) as AxiosError
    for (const error of [first, retried]) {
      expect(error.code).toBe('ERR_NETWORK')
      expect(error.config?.headers.has('Authorization')).toBe(false)
      expect(JSON.stringify(error)).not.toContain('Bearer')
    }
  })

  it('with two clients taking turns, the values remembered are not crowded out by repeats', async () => {
    const [a, b] = [await loggedIn(), await loggedIn()]
    let kept: InternalAxiosRequestConfig | undefined
    const keeping: AxiosAdapter = (config) => {
      kept ??= { ...config, headers: config.headers.toJSON() } as unknown as InternalAxiosRequestConfig
      return axios.getAdapter('http', config)(config)
    }
    const [apiA, apiB] = [attached(a, {}, { adapter: keeping }), attached(b)]
    await apiA.get('/api/todos')
    await a.refresh()
    for (let i = 0; i < 4; i++) {
      await apiA.get('/api/todos')
      await apiB.get('/api/todos')
    }
    await apiA.request({ ...kept!, baseURL: 'https://cdn.example.org' })
    expect(seen.filter((request) => request.url.startsWith('https://cdn.example.org/')).map((request) => request.authorization)).toEqual([null])
  })
})

describe('attachAxios: a caller’s abort', () => {
  it('while the request waits for a refresh rejects at once, as axios rejects an aborted request, and sends nothing', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    const release = holdRefresh()
    const refreshing = auth.refresh()
    const controller = new AbortController()
    const pending = api.get('/api/todos', { signal: controller.signal })
    await vi.waitFor(() => expect(to('/auth/refresh')).toHaveLength(1))
    controller.abort()
    const outcome = await settledWithin(pending)
    expect(axios.isCancel(outcome)).toBe(true)
    expect(outcome).toMatchObject({ name: 'CanceledError', code: 'ERR_CANCELED', message: 'canceled' })
    release()
    await refreshing
    // Its listener goes once the wait it raced is over, and the token that wait brought is never sent.
    await vi.waitFor(() => expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0))
    expect(to('/api/todos')).toHaveLength(0)
  })

  it('while a refused request waits for its refresh rejects at once, and the request is not retried', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    expireOnServer()
    const release = holdRefresh()
    const controller = new AbortController()
    const pending = api.get('/api/todos', { signal: controller.signal })
    await vi.waitFor(() => expect(to('/auth/refresh')).toHaveLength(1))
    controller.abort()
    expect(axios.isCancel(await settledWithin(pending))).toBe(true)
    release()
    await vi.waitFor(() => expect(auth.getState().refreshing).toBe(false))
    expect(mock.stats.refreshes).toBe(1)
    expect(to('/api/todos')).toHaveLength(1)
  })

  it('leaves no listener on the caller’s signal once a request that waited for a refresh is answered', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    expireOnServer()
    const controller = new AbortController()
    expect((await api.get('/api/todos', { signal: controller.signal })).status).toBe(200)
    expect(mock.stats.refreshes).toBe(1)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })
})

describe('attachAxios: a refused answer read as a stream', () => {
  it('is released when the caller aborts while its refresh is out: nobody can read it any more', async () => {
    const auth = await loggedIn()
    const refused: Readable[] = []
    const adapter: AxiosAdapter = (config) =>
      axios.getAdapter('http', config)(config).catch((error: AxiosError) => {
        refused.push(error.response!.data as Readable)
        throw error
      })
    const api = attached(auth, {}, { adapter })
    expireOnServer()
    const release = holdRefresh()
    const controller = new AbortController()
    const pending = api.get('/api/todos', { responseType: 'stream', signal: controller.signal })
    await vi.waitFor(() => expect(to('/auth/refresh')).toHaveLength(1))
    controller.abort()
    expect(axios.isCancel(await settledWithin(pending))).toBe(true)
    release()
    await vi.waitFor(() => expect(auth.getState().refreshing).toBe(false))
    expect(refused).toHaveLength(1)
    expect(refused[0]!.destroyed || refused[0]!.readableEnded).toBe(true)
  })
})

describe('attachAxios: statusCodes', () => {
  /** 419 for the token the client logged in with, 200 for any other. */
  function stalePage(auth: AuthClient) {
    const first = bearer(auth)
    server.use(
      http.get(`${API}/api/page`, ({ request }) =>
        request.headers.get('authorization') === first ? new HttpResponse(null, { status: 419 }) : HttpResponse.json({ ok: true }),
      ),
    )
  }

  it('a status listed in statusCodes starts the refresh', async () => {
    const auth = await loggedIn()
    stalePage(auth)
    const api = attached(auth, { statusCodes: [401, 419] })
    expect((await api.get('/api/page')).data).toEqual({ ok: true })
    expect(mock.stats.refreshes).toBe(1)
  })

  it('a status not listed is handed to the caller', async () => {
    const auth = await loggedIn()
    stalePage(auth)
    const api = attached(auth)
    expect((await rejectionOf(api.get('/api/page')) as AxiosError).response?.status).toBe(419)
    expect(mock.stats.refreshAttempts).toBe(0)
  })

  it('403 is never refreshed, even when listed', async () => {
    const auth = await loggedIn()
    const api = attached(auth, { statusCodes: [401, 403] })
    server.use(http.get(`${API}/api/forbidden`, () => new HttpResponse(null, { status: 403 })))
    expect((await rejectionOf(api.get('/api/forbidden')) as AxiosError).response?.status).toBe(403)
    expect(mock.stats.refreshAttempts).toBe(0)
  })
})

describe('attachAxios: failures', () => {
  it('a refused refresh rejects each caller with a SessionExpiredError whose cause is its own axios error', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    const expired = vi.fn()
    auth.on('sessionExpired', expired)
    // The server forgets the session (its refresh token is refused) and the access token expires.
    mock.reset()
    expireOnServer()
    const errors = await Promise.all([rejectionOf(api.get('/api/todos')), rejectionOf(api.get('/api/todos?page=2'))])
    for (const error of errors) {
      expect(error).toBeInstanceOf(SessionExpiredError)
      expect(error).toMatchObject({ name: 'SessionExpiredError', code: 'session_expired', message: expired.mock.calls[0]?.[0].message })
      expect((error as Error).cause).toBeInstanceOf(AxiosError)
      expect(((error as Error).cause as AxiosError).response?.status).toBe(401)
    }
    expect(((errors[1] as Error).cause as AxiosError).config?.url).toBe('/api/todos?page=2')
    expect(expired).toHaveBeenCalledTimes(1)
    expect(expired.mock.calls[0]?.[0].cause).not.toBeInstanceOf(AxiosError)
    expect(mock.stats.refreshAttempts).toBe(1)
    expect(auth.getState().status).toBe('unauthenticated')
  })

  it('with a validateStatus that accepts the 401, a refused refresh’s cause is the accepted AxiosResponse', async () => {
    const auth = await loggedIn()
    const api = attached(auth, {}, { validateStatus: () => true })
    mock.reset()
    expireOnServer()
    const error = await rejectionOf(api.get('/api/todos'))
    expect(error).toBeInstanceOf(SessionExpiredError)
    expect((error as Error).cause).not.toBeInstanceOf(AxiosError)
    expect((error as Error).cause).toMatchObject({ status: 401, config: { url: '/api/todos' } })
  })

  it('a refresh the client starts before sending, and the server refuses, rejects each caller without sending', async () => {
    let clock = Date.now()
    const auth = await loggedIn({ now: () => clock })
    const api = attached(auth)
    const expired = vi.fn()
    auth.on('sessionExpired', expired)
    mock.reset()
    clock += 301_000
    const errors = await Promise.all([rejectionOf(api.get('/api/todos')), rejectionOf(api.get('/api/todos'))])
    const shared = expired.mock.calls[0]?.[0]
    for (const error of errors) {
      expect(error).toBeInstanceOf(SessionExpiredError)
      expect(error).toMatchObject({ code: 'session_expired', message: shared.message })
      // Its own copy: axios rewrites the stack of what it rejects with, and the shared error stays as it was.
      expect((error as Error).cause).toBe(shared)
    }
    expect(errors[0]).not.toBe(errors[1])
    expect(to('/api/todos')).toHaveLength(0)
  })

  it.each([
    ['a network error', 'network' as const, 'network'],
    ['a 503', 503, 'server_error'],
  ])('a refresh that fails with %s rejects with NetworkError whose cause is the axios error', async (_, fault, code) => {
    const auth = await loggedIn()
    const api = attached(auth)
    expireOnServer()
    mock.faults.failNextRefresh(fault)
    const error = await rejectionOf(api.get('/api/todos'))
    expect(error).toBeInstanceOf(NetworkError)
    expect(isNetworkError(error)).toBe(true)
    expect(error).toMatchObject({ code })
    expect(((error as Error).cause as AxiosError).response?.status).toBe(401)
    expect(auth.getState().status).toBe('authenticated')
  })

  it('a refresh answer that is not a token set rejects with AuthError', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    expireOnServer()
    mock.faults.failNextRefresh('bad-json')
    const error = await rejectionOf(api.get('/api/todos'))
    expect(error).toMatchObject({ name: 'AuthError', code: 'bad_response' })
    expect((error as Error).cause).toBeInstanceOf(AxiosError)
  })

  it('a request that never got an answer is handed back as its axios error', async () => {
    const auth = await loggedIn()
    const api = attached(auth)
    server.use(http.get(`${API}/api/down`, () => HttpResponse.error()))
    const error = await rejectionOf(api.get('/api/down'))
    expect(error).toBeInstanceOf(AxiosError)
    expect((error as AxiosError).response).toBeUndefined()
    expect(mock.stats.refreshAttempts).toBe(0)
  })
})

describe('attachAxios: set-up', () => {
  it.each([
    ['no auth client', () => attachAxios(undefined as never, axios.create())],
    ['no axios instance', () => attachAxios(createAuthClient({ baseURL: API }), {} as AxiosInstance)],
    ['statusCodes that is not an array', () => attachAxios(createAuthClient({ baseURL: API }), axios.create(), { statusCodes: 401 as never })],
  ])('throws a TypeError that names the arguments for %s', (_, attach) => {
    expect(attach).toThrow(new TypeError('tokenrail: attachAxios(auth, axios instance)'))
  })
})

describe('attachAxios: detach', () => {
  const count = (instance: AxiosInstance) => ({
    request: instance.interceptors.request.handlers?.filter(Boolean).length,
    response: instance.interceptors.response.handlers?.filter(Boolean).length,
  })

  it('ejects its interceptor and leaves the instance and its own interceptors as they were', async () => {
    const auth = await loggedIn()
    const api = axios.create({ baseURL: API })
    api.interceptors.request.use((config) => {
      config.headers.set('X-Own', '1')
      return config
    })
    const before = count(api)
    const detach = attachAxios(auth, api)
    expect(count(api)).toEqual({ request: before.request! + 1, response: before.response })
    detach()
    detach()
    expect(count(api)).toEqual(before)
    expireOnServer()
    const error = (await rejectionOf(api.get('/api/todos'))) as AxiosError
    expect(error.response?.status).toBe(401)
    expect(error.config?.headers.get('X-Own')).toBe('1')
    expect(to('/api/todos')).toEqual([expect.objectContaining({ authorization: null })])
    expect(mock.stats.refreshAttempts).toBe(0)
  })

  it('a request made after detach is left alone, even when it re-sends an earlier error.config', async () => {
    const auth = await loggedIn()
    const api = axios.create({ baseURL: API })
    const detach = attachAxios(auth, api)
    server.use(http.get(`${API}/api/forbidden`, () => new HttpResponse(null, { status: 403 })))
    const { config } = (await rejectionOf(api.get('/api/forbidden'))) as AxiosError
    detach()
    expireOnServer()
    const error = (await rejectionOf(api.request({ ...config!, url: '/api/todos' }))) as AxiosError
    expect(error.response?.status).toBe(401)
    expect(to('/api/todos')).toEqual([expect.objectContaining({ authorization: null })])
    expect(mock.stats.refreshAttempts).toBe(0)
  })
})
