// Cross-package tests: the packages used together as an app would, by package name. `npm test` runs them
// against source; `npm run test:dist` once more against the built packages, so a broken exports map, a
// missing file or a bundling mistake fails here.
import { createAuthClient, isSessionExpiredError, SessionExpiredError } from '@tokenrail/core'
import { attachAxios } from '@tokenrail/core/axios'
import { createMockAuthServer, DEMO_USER } from '@tokenrail/mock-server'
import { startMockAuthServer } from '@tokenrail/mock-server/node'
import { AuthProvider, createAuthClient as createReactClient, getAuthSnapshot, isSessionExpiredError as reactGuard, RequireAuth, useAuth } from '@tokenrail/react'
import axios from 'axios'
import { setupServer } from 'msw/node'
import { renderToString } from 'react-dom/server'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const credentials = { username: DEMO_USER.username, password: DEMO_USER.password }

describe('core + axios + mock server (msw, in process)', () => {
  const API = 'https://api.example.test'
  const mock = createMockAuthServer({ baseURL: API })
  const server = setupServer(...mock.handlers)
  beforeAll(() => server.listen({ onUnhandledRequest: 'error' }))
  afterAll(() => server.close())

  it('fetch and two axios instances share one refresh after the token expired on the server', async () => {
    const auth = createAuthClient({ baseURL: API })
    await auth.login(credentials)
    const one = axios.create({ baseURL: API })
    const two = axios.create({ baseURL: API })
    const detach = [attachAxios(auth, one), attachAxios(auth, two)]
    mock.clock.advance(301)
    const answers = await Promise.all([
      auth.fetch(`${API}/api/todos`).then((response) => response.status),
      one.get('/api/todos').then((response) => response.status),
      two.get('/api/todos').then((response) => response.status),
    ])
    expect(answers).toEqual([200, 200, 200])
    expect(mock.stats.refreshes).toBe(1)
    detach.forEach((off) => off())
    auth.destroy()
  })

  it('a refused refresh rejects with an error the guards recognise', async () => {
    const auth = createAuthClient({ baseURL: API })
    await auth.login(credentials)
    mock.reset() // the server forgets every session (and its clock offset)...
    mock.clock.advance(3600) // ...and the access token has expired
    const error = await auth.fetch(`${API}/api/todos`).catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(SessionExpiredError)
    expect(isSessionExpiredError(error)).toBe(true)
    auth.destroy()
  })
})

describe('core against the real HTTP mock server', () => {
  let server: Awaited<ReturnType<typeof startMockAuthServer>>
  beforeAll(async () => {
    server = await startMockAuthServer({ port: 0 })
  })
  afterAll(() => server.close())

  it('logs in, calls the protected API, refreshes after expiry and logs out over real HTTP', async () => {
    const auth = createAuthClient({ baseURL: server.url })
    await auth.login(credentials)
    expect((await auth.fetch(`${server.url}/api/todos`)).status).toBe(200)
    server.mock.clock.advance(301)
    const created = await auth.fetch(`${server.url}/api/todos`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'over the wire' }),
    })
    expect(created.status).toBe(201)
    expect(server.mock.stats.refreshes).toBe(1)
    await auth.logout()
    expect(server.mock.stats.revoked).toBe(1)
    auth.destroy()
  })
})

describe('a cookie-mode page load with no session, against the real HTTP mock server', () => {
  let server: Awaited<ReturnType<typeof startMockAuthServer>>
  beforeAll(async () => {
    server = await startMockAuthServer({ port: 0, refreshToken: 'cookie' })
  })
  afterAll(() => server.close())

  it('the restore is answered 204 and the client settles logged out, with no sessionExpired and no error', async () => {
    const statuses: number[] = []
    const transport: typeof fetch = async (input, init) => {
      const response = await fetch(input, init)
      statuses.push(response.status)
      return response
    }
    const auth = createAuthClient({ baseURL: server.url, refreshToken: 'cookie', fetch: transport })
    const events: string[] = []
    auth.on('sessionExpired', () => events.push('sessionExpired'))
    auth.on('error', (error) => events.push(`error: ${error.message}`))
    await auth.ready
    expect(statuses).toEqual([204])
    expect(auth.getState().status).toBe('unauthenticated')
    expect(events).toEqual([])
    // "No session" is an answer, not a failure: nothing is retried later, and a login goes straight out.
    expect(await auth.getAccessToken()).toBeNull()
    expect(server.mock.stats.refreshAttempts).toBe(1)
    await auth.login(credentials)
    expect(auth.getState().status).toBe('authenticated')
    auth.destroy()
  })
})

describe('react bindings on the server', () => {
  it('render the loading tree and never a token', async () => {
    const auth = createAuthClient({ baseURL: 'https://api.example.test' })
    auth.setTokens({ accessToken: 'opaque-secret-token', refreshToken: 'opaque-refresh' })
    function Status() {
      return <p>{useAuth().status}</p>
    }
    const html = renderToString(
      <AuthProvider client={auth}>
        <Status />
        <RequireAuth fallback={<p>please log in</p>} loading={<p>checking</p>}>
          <p>secret page</p>
        </RequireAuth>
      </AuthProvider>,
    )
    expect(html).toContain('loading')
    expect(html).toContain('checking')
    expect(html).not.toContain('opaque-secret-token')
    expect(html).not.toContain('secret page')
    auth.destroy()
  })
})

describe('react bindings on the server with a snapshot', () => {
  it('render the snapshot user and never a token; the core is re-exported whole', async () => {
    // An unsigned JWT-shaped token with a name claim: what a server reads from the browser's cookie.
    const claims = Buffer.from(JSON.stringify({ sub: 'u1', name: 'Ada', exp: Math.floor(Date.now() / 1000) + 300 })).toString('base64url')
    const accessToken = `eyJhbGciOiJIUzI1NiJ9.${claims}.c2lnbmF0dXJl`
    const auth = createReactClient<{ sub: string; name: string }>({ baseURL: 'https://api.example.test' })
    auth.setTokens({ accessToken })
    function Name() {
      return <p>{`user:${useAuth<{ name: string }>().user?.name}`}</p>
    }
    const html = renderToString(
      <AuthProvider client={auth} snapshot={getAuthSnapshot(auth)}>
        <RequireAuth loading={<p>checking</p>}>
          <Name />
        </RequireAuth>
      </AuthProvider>,
    )
    expect(html).toContain('user:Ada')
    expect(html).not.toContain(accessToken)
    expect(reactGuard).toBe(isSessionExpiredError)
    auth.destroy()
  })
})
