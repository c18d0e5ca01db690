import { http, HttpResponse } from 'msw'
import { getEventListeners } from 'node:events'
import { describe, expect, it, vi } from 'vitest'
import { NetworkError } from '../src'
import { API, echoHeaders, holdAnswer, settledWithin, TODOS, useClients, useMockApi } from './mockApi'

const { mock, server, seen, to } = useMockApi()

const { client, loggedIn } = useClients()

describe('auth.fetch: who gets the Bearer header', () => {
  it('sends it to the origin of baseURL', async () => {
    const auth = await loggedIn()
    expect((await auth.fetch(TODOS)).status).toBe(200)
    expect(to('/api/todos')[0]?.authorization).toBe(`Bearer ${auth.getState().accessToken}`)
  })

  it.each([
    ['another host', 'https://other.example.org/api'],
    ['another port', 'https://api.example.com:8443/api'],
    ['another scheme', 'http://api.example.com/api'],
    ['a look-alike host (suffix)', 'https://api.example.com.evil.org/api'],
    ['a look-alike host (no dot)', 'https://apiexample.com/api'],
  ])('never sends it to %s', async (_, url) => {
    const auth = await loggedIn()
    expect((await auth.fetch(url)).status).toBe(200)
    const request = seen.find((entry) => entry.url.startsWith(new URL(url).origin))
    expect(request).toBeDefined()
    expect(request?.authorization).toBeNull()
  })

  it('never sends it to a host hidden behind a userinfo part (the request is refused before it leaves)', async () => {
    const auth = await loggedIn()
    await expect(auth.fetch('https://api.example.com@other.example.org/api')).rejects.toBeInstanceOf(NetworkError)
    expect(seen.filter((entry) => entry.url.includes('other.example.org'))).toEqual([])
  })

  it('never sends it to a host written without the slashes (https:host/path), which Node’s fetch still reaches', async () => {
    const auth = await loggedIn()
    await auth.fetch('https:evil.example.org/x')
    const request = seen.find((entry) => entry.url.startsWith('https://evil.example.org/'))
    expect(request).toBeDefined()
    expect(request?.authorization).toBeNull()
  })

  it('sends it to every origin listed in allowedOrigins, and only to those', async () => {
    const auth = await loggedIn({ allowedOrigins: [API, 'https://files.example.org'] })
    await auth.fetch('https://files.example.org/list')
    await auth.fetch('https://other.example.org/list')
    await auth.fetch(TODOS)
    const byHost = Object.fromEntries(seen.map((entry) => [new URL(entry.url).host, entry.authorization]))
    expect(byHost['files.example.org']).toMatch(/^Bearer /)
    expect(byHost['other.example.org']).toBeNull()
    expect(byHost['api.example.com']).toMatch(/^Bearer /)
  })

  it('a 401 from another origin never triggers a refresh', async () => {
    const auth = await loggedIn()
    server.use(http.get('https://other.example.org/private', () => new HttpResponse(null, { status: 401 })))
    expect((await auth.fetch('https://other.example.org/private')).status).toBe(401)
    expect(mock.stats.refreshAttempts).toBe(0)
  })

  it('skipAuth sends no header, and a 401 is handed back without a refresh', async () => {
    const auth = await loggedIn()
    mock.clock.advance(301)
    const response = await auth.fetch(TODOS, { skipAuth: true })
    expect(response.status).toBe(401)
    expect(to('/api/todos')).toEqual([expect.objectContaining({ authorization: null })])
    expect(mock.stats.refreshAttempts).toBe(0)
  })

  it('never passes skipAuth on to the transport', async () => {
    const inits: RequestInit[] = []
    const auth = await loggedIn({
      fetch: (input, init) => {
        if (init) inits.push(init)
        return fetch(input, init)
      },
    })
    await auth.fetch(TODOS, { skipAuth: true, headers: { 'x-a': '1' } })
    await auth.fetch(TODOS, { skipAuth: false })
    expect(inits.filter((init) => 'skipAuth' in init)).toEqual([])
    expect(to('/api/todos').map((request) => request.authorization)).toEqual([null, `Bearer ${auth.getState().accessToken}`])
  })

  it('sends no header when logged out', async () => {
    const auth = client()
    expect((await auth.fetch(TODOS)).status).toBe(401)
    expect(to('/api/todos')[0]?.authorization).toBeNull()
  })

  it.each([
    ['a plain record', { 'X-Trace': 'abc', Authorization: 'Basic stale' }],
    ['a Headers object', new Headers({ 'X-Trace': 'abc', Authorization: 'Basic stale' })],
    ['a list of pairs', [['X-Trace', 'abc'], ['authorization', 'Basic stale']] as [string, string][]],
  ])('puts exactly one Bearer header beside the caller’s headers given as %s', async (_, headers) => {
    const auth = await loggedIn()
    const received = echoHeaders(server, `${API}/api/echo`)
    await auth.fetch(`${API}/api/echo`, { headers })
    expect(received()?.get('x-trace')).toBe('abc')
    expect(received()?.get('authorization')).toBe(`Bearer ${auth.getState().accessToken}`)
  })

  it('keeps the caller’s other headers', async () => {
    const auth = await loggedIn()
    const received = echoHeaders(server, `${API}/api/echo`)
    await auth.fetch(`${API}/api/echo`, { headers: { 'x-trace': 'abc' } })
    expect(received()?.get('x-trace')).toBe('abc')
    expect(received()?.get('authorization')).toMatch(/^Bearer /)
  })
})

describe('auth.fetch: the retried request', () => {
  it('sends a JSON body again intact after a refresh', async () => {
    const auth = await loggedIn()
    mock.clock.advance(301)
    const response = await auth.fetch(TODOS, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'buy milk' }),
    })
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({ title: 'buy milk' })
    expect(to('/api/todos').map((request) => request.method)).toEqual(['POST', 'POST'])
  })

  it('sends a Request with a stream body again intact (it is cloned before the first try)', async () => {
    const auth = await loggedIn()
    mock.clock.advance(301)
    const stream = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"title":'))
        controller.enqueue(new TextEncoder().encode('"streamed"}'))
        controller.close()
      },
    })
    const request = new Request(TODOS, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    } as RequestInit)
    const response = await auth.fetch(request)
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({ title: 'streamed' })
    expect(mock.stats.refreshes).toBe(1)
  })

  it('sends an async-iterable body (Node) again intact', async () => {
    const auth = await loggedIn()
    const bodies: string[] = []
    server.use(
      http.post(`${API}/api/upload`, async ({ request }) => {
        bodies.push(await request.text())
        return bodies.length === 1 ? new HttpResponse(null, { status: 401 }) : HttpResponse.json({ ok: true })
      }),
    )
    async function* chunks() {
      yield new TextEncoder().encode('pay')
      yield new TextEncoder().encode('load')
    }
    const response = await auth.fetch(`${API}/api/upload`, { method: 'POST', body: chunks(), duplex: 'half' } as unknown as RequestInit)
    expect(response.status).toBe(200)
    expect(bodies).toEqual(['payload', 'payload'])
    expect(mock.stats.refreshes).toBe(1)
  })

  it('sends a streamed init body again intact', async () => {
    const auth = await loggedIn()
    mock.clock.advance(301)
    const body = new Blob(['{"title":"from a blob stream"}']).stream()
    const response = await auth.fetch(TODOS, { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    expect(response.status).toBe(201)
    expect(await response.json()).toMatchObject({ title: 'from a blob stream' })
  })
})

describe('auth.fetch: failures', () => {
  it('wraps a network failure in NetworkError naming the method and URL without its query', async () => {
    const auth = await loggedIn()
    server.use(http.get(`${API}/api/down`, () => HttpResponse.error()))
    const error = await auth.fetch(`${API}/api/down?token=secret`).catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(NetworkError)
    expect((error as Error).message).toBe(`GET ${API}/api/down failed`)
    expect((error as Error).cause).toBeInstanceOf(TypeError)
  })

  it('keeps the caller’s own abort an AbortError', async () => {
    const auth = await loggedIn()
    server.use(http.get(`${API}/api/slow`, () => new Promise<Response>(() => undefined)))
    const controller = new AbortController()
    const pending = auth.fetch(`${API}/api/slow`, { signal: controller.signal })
    controller.abort()
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' })
  })

  it.each([
    ['a custom reason on init.signal', 'init', new Error('left the page')],
    ['a timeout on init.signal', 'init', new DOMException('took too long', 'TimeoutError')],
    ['a custom reason on the Request’s signal', 'Request', new Error('left the page')],
  ] as const)('rejects with the signal’s reason as fetch does, not a NetworkError: %s', async (_, on, reason) => {
    const auth = await loggedIn()
    const slow = `${API}/api/slow`
    server.use(http.get(slow, () => new Promise<Response>(() => undefined)))
    const controller = new AbortController()
    const { signal } = controller
    const sent = on === 'init' ? auth.fetch(slow, { signal }) : auth.fetch(new Request(slow, { signal }))
    const pending = sent.catch((error: unknown) => error)
    await vi.waitFor(() => expect(to('/api/slow')).toHaveLength(1))
    controller.abort(reason)
    expect(await pending).toBe(reason)
  })

  it('relative URLs resolve against baseURL outside a browser', async () => {
    const auth = await loggedIn()
    expect((await auth.fetch('/api/todos')).status).toBe(200)
    expect(to('/api/todos')[0]?.authorization).toMatch(/^Bearer /)
  })
})

describe('auth.fetch: a caller’s abort while it waits for a refresh', () => {
  it('before sending rejects at once with the signal’s reason, and the request is never sent', async () => {
    const auth = await loggedIn()
    const release = holdAnswer(server, '/auth/refresh', () => ({}))
    const refreshing = auth.refresh().catch(() => undefined)
    const controller = new AbortController()
    const pending = auth.fetch(TODOS, { signal: controller.signal })
    await vi.waitFor(() => expect(to('/auth/refresh')).toHaveLength(1))
    const reason = new Error('left the page')
    controller.abort(reason)
    expect(await settledWithin(pending)).toBe(reason)
    release()
    await refreshing
    // Its listener goes once the wait it raced is over.
    await vi.waitFor(() => expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0))
    expect(to('/api/todos')).toHaveLength(0)
  })

  it('after a 401 rejects at once with the signal’s reason, and the request is not retried', async () => {
    const auth = await loggedIn()
    mock.clock.advance(301)
    const release = holdAnswer(server, '/auth/refresh', () => ({}))
    const controller = new AbortController()
    const pending = auth.fetch(new Request(TODOS, { signal: controller.signal }))
    await vi.waitFor(() => expect(to('/auth/refresh')).toHaveLength(1))
    controller.abort()
    expect(await settledWithin(pending)).toMatchObject({ name: 'AbortError' })
    release()
    await vi.waitFor(() => expect(auth.getState().refreshing).toBe(false))
    expect(to('/api/todos')).toHaveLength(1)
  })

  it('leaves no listener on the caller’s signal once a request that waited for a refresh is answered', async () => {
    // A transport that never sees the signal: any listener left on it is auth.fetch's own.
    const auth = await loggedIn({ fetch: (input, init) => fetch(input, { ...init, signal: null }) })
    mock.clock.advance(301)
    const controller = new AbortController()
    const response = await auth.fetch(TODOS, { signal: controller.signal })
    expect(response.status).toBe(200)
    expect(mock.stats.refreshes).toBe(1)
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0)
  })
})
