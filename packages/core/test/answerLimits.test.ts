import { getResponse, http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { API, credentials, useClients, useMockApi } from './mockApi'

// What the login and refresh calls read of an answer: a token response is a few KiB, so a server (or anything
// in between) that sends megabytes is cut off, and a body that stops arriving is a network failure.
const { server, mock } = useMockApi()
const { client, loggedIn } = useClients()

/** A body of `total` bytes made on demand, counting what the reader pulled. */
function hugeBody(total: number) {
  const chunk = new TextEncoder().encode(`{"accessToken":"${'a'.repeat(16 * 1024 - 20)}`)
  let pulled = 0
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (pulled >= total) return controller.close()
      pulled += chunk.length
      controller.enqueue(chunk)
    },
  })
  return { body, pulled: () => pulled }
}

/** A body that sends its first bytes and then nothing more, ever. */
const stalledBody = () =>
  new ReadableStream<Uint8Array>({ start: (controller) => controller.enqueue(new TextEncoder().encode('{"accessToken":"')) })

afterEach(() => void vi.useRealTimers())

describe.each([
  ['login', '/auth/login'],
  ['refresh', '/auth/refresh'],
])('the %s call', (call, path) => {
  const run = async () => {
    if (call === 'login') return client().login(credentials)
    const auth = await loggedIn()
    return auth.refresh()
  }

  it('stops reading an answer of 50 MB past 64 KiB and fails typed', async () => {
    const answer = hugeBody(50 * 1024 * 1024)
    server.use(http.post(`${API}${path}`, () => new HttpResponse(answer.body, { headers: { 'content-type': 'application/json' } })))
    const error = await run().catch((reason: unknown) => reason)
    expect(error).toMatchObject({ name: 'AuthError', code: 'bad_response', status: 200 })
    expect((error as Error).message).toMatch(/answered more than 64 KiB$/)
    expect(answer.pulled()).toBeLessThan(256 * 1024)
  })

  it('whose body stalls after the headers settles at the timeout as a NetworkError (timeout)', async () => {
    const auth = call === 'login' ? client({ timeout: 5000 }) : await loggedIn({ timeout: 5000 })
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    server.use(http.post(`${API}${path}`, () => new HttpResponse(stalledBody(), { headers: { 'content-type': 'application/json' } })))
    const settled = (call === 'login' ? auth.login(credentials) : auth.refresh()).catch((reason: unknown) => reason)
    await vi.advanceTimersByTimeAsync(5000)
    expect(await settled).toMatchObject({ name: 'NetworkError', code: 'timeout' })
    if (call === 'refresh') expect(auth.getState().status).toBe('authenticated')
  })
})

describe('the logout call', () => {
  it('stops reading an answer of 50 MB past 64 KiB: the logout still ends the session here, and the failure is reported', async () => {
    const auth = await loggedIn()
    const reported: unknown[] = []
    auth.on('error', (error) => void reported.push(error))
    const answer = hugeBody(50 * 1024 * 1024)
    server.use(http.post(`${API}/auth/logout`, () => new HttpResponse(answer.body, { headers: { 'content-type': 'application/json' } })))
    await auth.logout()
    expect(auth.getState().status).toBe('unauthenticated')
    expect(reported).toEqual([expect.objectContaining({ name: 'AuthError', code: 'logout_failed' })])
    expect(answer.pulled()).toBeLessThan(256 * 1024)
  })
})

describe('an answer of a sane size', () => {
  it('is read whole when it arrives in many small chunks', async () => {
    server.use(
      http.post(`${API}/auth/login`, async ({ request }) => {
        const real = (await getResponse(mock.handlers, request))!
        const bytes = new Uint8Array(await real.arrayBuffer())
        let at = 0
        const body = new ReadableStream<Uint8Array>({
          pull: (controller) => (at < bytes.length ? controller.enqueue(bytes.slice(at, (at += 7))) : controller.close()),
        })
        return new HttpResponse(body, { status: real.status, headers: real.headers })
      }),
    )
    const auth = client()
    await auth.login(credentials)
    expect(auth.getState()).toMatchObject({ status: 'authenticated', user: { sub: 'demo' } })
  })
})
