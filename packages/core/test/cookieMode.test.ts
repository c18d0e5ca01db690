import { getResponse, http, HttpResponse } from 'msw'
import { describe, expect, it, vi } from 'vitest'
import { webStorage } from '../src'
import { fetchWithCookieJar } from './cookieJar'
import { fakeWebStorage } from './fakeStorage'
import { API, credentials, settledWithin, TODOS, useClients, useMockApi } from './mockApi'

const { mock, server, seen, to } = useMockApi({ refreshToken: 'cookie' })

const { client } = useClients({ refreshToken: 'cookie' })

/** Holds every POST to `path` until release(), then lets the mock server answer it for real (cookies and all). */
function holdThenPass(path: string) {
  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  server.use(
    http.post(`${API}${path}`, async () => {
      await held
      // nothing returned: msw goes on to the mock server's own handler
    }),
  )
  return release
}

/**
 * Holds refresh answers until release(): the server rotates at once, the cookie reaches the jar later. Logs
 * when each refresh is answered and each login sent, to show which came first.
 */
function holdRefreshAnswers() {
  const order: string[] = []
  let release!: () => void
  const held = new Promise<void>((resolve) => (release = resolve))
  server.use(
    http.post(`${API}/auth/refresh`, async ({ request }) => {
      const answer = await getResponse(mock.handlers, request)
      await held
      order.push('refresh answered')
      return answer
    }),
    http.post(`${API}/auth/login`, () => void order.push('login sent')),
  )
  return { order, release }
}

/** A browser whose cookie jar holds a session, as after a login before a reload. */
async function sessionInCookieJar() {
  const browser = fetchWithCookieJar()
  const first = client({ fetch: browser.fetch })
  await first.ready
  await first.login(credentials)
  first.destroy()
  return browser
}

describe("refreshToken: 'cookie'", () => {
  it('logs in with the refresh token only in an HttpOnly cookie, and refreshes with it and the CSRF header', async () => {
    const browser = fetchWithCookieJar()
    const auth = client({ fetch: browser.fetch })
    await auth.ready
    await auth.login(credentials)
    expect(auth.getState().status).toBe('authenticated')
    expect([...browser.jar.keys()]).toEqual(['tokenrail_rt'])
    let csrf: string | null = null
    let body: unknown
    server.events.on('request:start', async ({ request }) => {
      if (!request.url.endsWith('/auth/refresh')) return
      csrf = request.headers.get('x-tokenrail-csrf')
      body = await request.clone().json()
    })
    const before = browser.jar.get('tokenrail_rt')?.value
    await auth.refresh()
    expect(csrf).toBe('1')
    expect(body).toEqual({})
    expect(browser.jar.get('tokenrail_rt')?.value).not.toBe(before)
    expect(mock.stats.refreshes).toBe(1)
  })

  it('never keeps a refresh token in storage, even when a server puts one in the body', async () => {
    const area = fakeWebStorage()
    server.use(
      http.post(`${API}/auth/login`, async () =>
        HttpResponse.json({ accessToken: await mock.signAccessToken({ sub: 'demo' }), refreshToken: 'leaked', expiresIn: 300 }),
      ),
    )
    const auth = client({ storage: webStorage(area), fetch: fetchWithCookieJar().fetch })
    await auth.ready
    await auth.login(credentials)
    expect(area.getItem(`tokenrail:${API}/`)).not.toContain('leaked')
    expect(JSON.parse(area.getItem(`tokenrail:${API}/`)!).refreshToken).toBeUndefined()
  })

  it('a reload keeps the session: ready restores it with one silent refresh', async () => {
    const browser = await sessionInCookieJar()

    const reloaded = client({ fetch: browser.fetch })
    expect(reloaded.getState().status).toBe('loading')
    const token = reloaded.getAccessToken()
    await reloaded.ready
    expect(reloaded.getState()).toMatchObject({ status: 'authenticated', user: { sub: 'demo' } })
    expect(await token).toBe(reloaded.getState().accessToken)
    expect(mock.stats.refreshes).toBe(1)
    expect((await reloaded.fetch(TODOS)).status).toBe(200)
  })

  it('without a cookie, ready settles logged out with no sessionExpired and no error', async () => {
    const auth = client({ fetch: fetchWithCookieJar().fetch })
    const expired = vi.fn()
    auth.on('sessionExpired', expired)
    expect(auth.getState().status).toBe('loading')
    await auth.ready
    expect(auth.getState().status).toBe('unauthenticated')
    expect(expired).not.toHaveBeenCalled()
    expect(mock.stats.refreshAttempts).toBe(1)
  })

  it('a restore answered 204 (no cookie, no session) settles logged out quietly, like a refused one', async () => {
    server.use(http.post(`${API}/auth/refresh`, () => new HttpResponse(null, { status: 204 })))
    const auth = client({ fetch: fetchWithCookieJar().fetch })
    const expired = vi.fn()
    const failed = vi.fn()
    auth.on('sessionExpired', expired)
    auth.on('error', failed)
    await auth.ready
    expect(auth.getState().status).toBe('unauthenticated')
    expect(expired).not.toHaveBeenCalled()
    expect(failed).not.toHaveBeenCalled()
    // Read as "no session", not as a failure: no backoff, so a request right after goes out without a retry.
    expect(await auth.getAccessToken()).toBeNull()
  })

  it('a reload during a network failure leaves the question open: the next request after the backoff restores the session', async () => {
    const browser = await sessionInCookieJar()
    let clock = Date.now()
    mock.faults.failNextRefresh('network')
    const reloaded = client({ fetch: browser.fetch, now: () => clock })
    await reloaded.ready
    expect(reloaded.getState().status).toBe('unauthenticated')
    const attempts = mock.stats.refreshAttempts
    // Inside the backoff window a request goes out without a token and costs no refresh.
    expect((await reloaded.fetch(TODOS)).status).toBe(401)
    expect(mock.stats.refreshAttempts).toBe(attempts)
    clock += 1000
    expect((await reloaded.fetch(TODOS)).status).toBe(200)
    expect(reloaded.getState().status).toBe('authenticated')
  })

  it('the timer asks again after a restore failed for the network, where autoRefresh is on', async () => {
    const browser = await sessionInCookieJar()
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] })
    try {
      mock.faults.failNextRefresh('network')
      const reloaded = client({ fetch: browser.fetch, autoRefresh: true })
      await reloaded.ready
      expect(reloaded.getState().status).toBe('unauthenticated')
      const attempts = mock.stats.refreshAttempts
      await vi.advanceTimersByTimeAsync(1000)
      await vi.waitFor(() => expect(reloaded.getState().status).toBe('authenticated'))
      expect(mock.stats.refreshAttempts).toBe(attempts + 1)
    } finally {
      vi.useRealTimers()
    }
  })

  it('a refused restore (no session behind the cookie) is not asked again', async () => {
    const auth = client({ fetch: fetchWithCookieJar().fetch })
    await auth.ready
    const attempts = mock.stats.refreshAttempts
    await auth.fetch(TODOS)
    await auth.getAccessToken()
    expect(mock.stats.refreshAttempts).toBe(attempts)
  })

  it('a logout while the login is on the wire sticks: the login’s cookie is revoked, and a reload is logged out', async () => {
    const browser = fetchWithCookieJar()
    const auth = client({ fetch: browser.fetch })
    await auth.ready
    const release = holdThenPass('/auth/login')
    const login = auth.login(credentials).catch((error: unknown) => error)
    await vi.waitFor(() => expect(to('/auth/login')).toHaveLength(1))
    await auth.logout()
    release()
    expect(await login).toMatchObject({ code: 'logged_out' })
    expect(auth.getState().status).toBe('unauthenticated')
    expect(mock.stats.revoked).toBe(1)
    const reloaded = client({ fetch: browser.fetch })
    await reloaded.ready
    expect(reloaded.getState().status).toBe('unauthenticated')
  })

  it('a logout while the session is being restored revokes what the restore brought: a reload is logged out', async () => {
    const browser = await sessionInCookieJar()
    const release = holdThenPass('/auth/refresh')
    const reloaded = client({ fetch: browser.fetch })
    await vi.waitFor(() => expect(to('/auth/refresh')).toHaveLength(1))
    await reloaded.logout()
    release()
    await reloaded.ready
    expect(reloaded.getState().status).toBe('unauthenticated')
    await vi.waitFor(() => expect(mock.stats.revoked).toBe(1))
    const again = client({ fetch: browser.fetch })
    await again.ready
    expect(again.getState().status).toBe('unauthenticated')
  })

  it('a login made while a refresh is out goes out after its answer, so that cookie cannot put the old user back', async () => {
    await mock.users.add({ username: 'other', password: 'other-password' })
    const browser = await sessionInCookieJar() // demo's session in the cookie
    let clock = Date.now()
    mock.faults.failNextRefresh('network')
    const auth = client({ fetch: browser.fetch, now: () => clock })
    await auth.ready // the restore failed: asked again after the backoff
    clock += 1000
    const { order, release } = holdRefreshAnswers()
    const before = to('/auth/refresh').length
    const fetching = auth.fetch(TODOS) // the restore asked again, held on the wire
    await vi.waitFor(() => expect(to('/auth/refresh')).toHaveLength(before + 1))
    const login = auth.login({ username: 'other', password: 'other-password' })
    await settledWithin(login) // a turn in which a login that did not wait would go out
    release()
    await fetching
    await login
    expect(order).toEqual(['refresh answered', 'login sent'])
    await auth.refresh()
    expect(auth.getState().user).toMatchObject({ sub: 'other' })
  })

  it('refresh() called while an async storage is read joins the restore that follows: one refresh request', async () => {
    const browser = await sessionInCookieJar()
    const attempts = mock.stats.refreshAttempts
    const storage = { get: async () => null, set: async () => undefined, clear: async () => undefined }
    const auth = client({ fetch: browser.fetch, storage })
    const token = await auth.refresh()
    expect(token).toBe(auth.getState().accessToken)
    expect(mock.stats.refreshAttempts - attempts).toBe(1)
  })

  it('sends its auth requests with keepalive, so a tab closed mid-refresh still stores the rotated cookie', async () => {
    const browser = fetchWithCookieJar()
    const sent: Array<[string, boolean | undefined]> = []
    const spy = (input: RequestInfo | URL, init?: RequestInit) => {
      sent.push([new URL(String(input)).pathname, init?.keepalive])
      return browser.fetch(input, init)
    }
    const auth = client({ fetch: spy })
    await auth.ready
    await auth.login(credentials)
    await auth.refresh()
    await auth.logout()
    expect(sent).toEqual([
      ['/auth/refresh', true],
      ['/auth/login', true],
      ['/auth/refresh', true],
      ['/auth/logout', true],
    ])
  })

  it('without a lock, a login after a logout waits for the ended session’s refresh on the wire, keeping its own cookie', async () => {
    await mock.users.add({ username: 'third', password: 'third-password' })
    const browser = fetchWithCookieJar()
    const auth = client({ fetch: browser.fetch })
    await auth.ready
    await auth.login(credentials)
    const { order, release } = holdRefreshAnswers()
    const refreshing = auth.refresh().catch(() => undefined)
    await vi.waitFor(() => expect(mock.stats.refreshAttempts).toBeGreaterThan(1))
    await auth.logout()
    const login = auth.login({ username: 'third', password: 'third-password' })
    await settledWithin(login) // a turn in which a login that did not wait would go out
    release()
    await refreshing
    await login
    expect(order).toEqual(['refresh answered', 'login sent'])
    await expect(auth.refresh()).resolves.toEqual(expect.any(String))
    expect(auth.getState()).toMatchObject({ status: 'authenticated', user: { sub: 'third' } })
  })

  it('a client destroyed while its storage is read sends no refresh afterwards', async () => {
    const browser = await sessionInCookieJar()
    const attempts = mock.stats.refreshAttempts
    const silent = () => new Promise<never>(() => undefined)
    const auth = client({ fetch: browser.fetch, storage: { get: silent, set: () => undefined, clear: () => undefined } })
    auth.destroy()
    await auth.ready
    expect(mock.stats.refreshAttempts).toBe(attempts)
  })

  it('a request made while the session is being restored waits for it and goes out with the token', async () => {
    const browser = fetchWithCookieJar()
    const first = client({ fetch: browser.fetch })
    await first.ready
    await first.login(credentials)
    const reloaded = client({ fetch: browser.fetch })
    const response = await reloaded.fetch(TODOS)
    expect(response.status).toBe(200)
    expect(to('/api/todos').at(-1)?.authorization).toBe(`Bearer ${reloaded.getState().accessToken}`)
  })

  it('an anonymous visitor’s request made before ready goes out without a token instead of failing', async () => {
    const auth = client({ fetch: fetchWithCookieJar().fetch })
    const response = await auth.fetch(TODOS)
    expect(response.status).toBe(401)
    expect(to('/api/todos').at(-1)?.authorization).toBeNull()
    expect(auth.getState().status).toBe('unauthenticated')
  })

  it('a 401 is refreshed through the cookie and retried', async () => {
    const browser = fetchWithCookieJar()
    const auth = client({ fetch: browser.fetch })
    await auth.ready
    await auth.login(credentials)
    mock.clock.advance(301)
    expect((await auth.fetch(TODOS)).status).toBe(200)
    expect(mock.stats.refreshes).toBe(1)
  })

  it('logout revokes the session and clears the cookie, so a reload is logged out', async () => {
    const browser = fetchWithCookieJar()
    const auth = client({ fetch: browser.fetch })
    await auth.ready
    await auth.login(credentials)
    await auth.logout()
    expect(browser.jar.size).toBe(0)
    expect(mock.stats.revoked).toBe(1)
    expect(seen.find((request) => request.url.endsWith('/auth/logout'))).toBeDefined()
    const reloaded = client({ fetch: browser.fetch })
    await reloaded.ready
    expect(reloaded.getState().status).toBe('unauthenticated')
  })
})
