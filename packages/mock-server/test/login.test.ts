import { decodeJwt, decodeProtectedHeader } from 'jose'
import { describe, expect, it, vi } from 'vitest'
import { DEMO_USER } from '@tokenrail/mock-server'
import { BASE_URL, TEST_EPOCH, login, post, useMsw } from './helpers'

const msw = useMsw()

describe('POST /auth/login', () => {
  it('answers a token pair with no-store for the demo user', async () => {
    const mock = msw.start()
    const response = await post(`${BASE_URL}/auth/login`, { username: 'demo', password: 'demo-password' })

    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const body = await response.json()
    expect(body).toEqual({
      accessToken: expect.any(String),
      refreshToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      tokenType: 'Bearer',
      expiresIn: 300,
    })
    expect(mock.stats.logins).toBe(1)
  })

  it('signs an HS256 at+jwt access token with the registered claims, the session id and the user claims', async () => {
    const mock = msw.start({ issuer: 'https://issuer.test', audience: 'todo-api', accessTokenTtl: 120 })
    const { accessToken } = await login(mock)

    expect(decodeProtectedHeader(accessToken)).toEqual({ alg: 'HS256', typ: 'at+jwt' })
    const claims = decodeJwt(accessToken)
    expect(claims).toMatchObject({
      sub: 'demo',
      iss: 'https://issuer.test',
      aud: 'todo-api',
      name: DEMO_USER.claims.name,
      roles: ['user'],
      sid: expect.any(String),
      jti: expect.any(String),
    })
    expect(claims.iat).toBe(TEST_EPOCH / 1000)
    expect(claims.exp).toBe(TEST_EPOCH / 1000 + 120)
  })

  it('gives every login its own session and jti', async () => {
    const mock = msw.start()
    const first = decodeJwt((await login(mock)).accessToken)
    const second = decodeJwt((await login(mock)).accessToken)
    expect(first.sid).not.toBe(second.sid)
    expect(first.jti).not.toBe(second.jti)
  })

  it('never lets user claims override the registered ones', async () => {
    const mock = msw.start({
      users: [{ username: 'eve', password: 'pw-eve', claims: { sub: 'admin', aud: 'elsewhere', exp: 9_999_999_999, team: 'red' } }],
    })
    const claims = decodeJwt((await login(mock, 'eve', 'pw-eve')).accessToken)
    expect(claims).toMatchObject({ sub: 'eve', aud: 'tokenrail-demo-api', team: 'red' })
    expect(claims.exp).toBeLessThan(9_999_999_999)
  })

  it('refuses a wrong password and an unknown user with the same status and body', async () => {
    const mock = msw.start()
    const wrongPassword = await post(mock.endpoints.login, { username: 'demo', password: 'nope' })
    const unknownUser = await post(mock.endpoints.login, { username: 'nobody', password: 'demo-password' })

    expect(wrongPassword.status).toBe(401)
    expect(unknownUser.status).toBe(401)
    const bodies = [await wrongPassword.text(), await unknownUser.text()]
    expect(bodies[0]).toBe(bodies[1])
    expect(JSON.parse(bodies[0] ?? '')).toEqual({ error: 'invalid_credentials' })
    expect(mock.stats).toMatchObject({ logins: 0, loginFailures: 2 })
  })

  it('accepts any of several configured users and only with their own password', async () => {
    const mock = msw.start({
      users: [
        { username: 'ana', password: 'ana-secret', claims: { role: 'admin' } },
        { username: 'bo', password: 'bo-secret' },
      ],
    })
    expect(decodeJwt((await login(mock, 'ana', 'ana-secret')).accessToken)).toMatchObject({ sub: 'ana', role: 'admin' })
    expect(decodeJwt((await login(mock, 'bo', 'bo-secret')).accessToken).sub).toBe('bo')
    expect((await post(mock.endpoints.login, { username: 'ana', password: 'bo-secret' })).status).toBe(401)
    expect((await post(mock.endpoints.login, DEMO_USER)).status).toBe(401)
  })
})

describe('bad login requests answer 400 invalid_request, never 500', () => {
  const json = (body: BodyInit, contentType = 'application/json'): RequestInit => ({
    method: 'POST',
    headers: { 'content-type': contentType },
    body,
  })
  const demo = JSON.stringify({ username: 'demo', password: 'demo-password' })
  const cases: Array<[string, RequestInit]> = [
    ['no body', { method: 'POST', headers: { 'content-type': 'application/json' } }],
    ['an empty body', json('')],
    ['bad JSON', json('{"username": "demo",')],
    ['a JSON array', json('["demo", "demo-password"]')],
    ['a JSON string', json('"demo"')],
    ['JSON null', json('null')],
    ['a number for the password', json(JSON.stringify({ username: 'demo', password: 123 }))],
    ['a missing username', json(JSON.stringify({ password: 'demo-password' }))],
    ['an object for the username', json(JSON.stringify({ username: { $ne: '' }, password: 'x' }))],
    ['invalid UTF-8', json(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))],
    ['a body over 64 KiB', json(JSON.stringify({ username: 'demo', password: 'demo-password', pad: 'x'.repeat(64 * 1024) }))],
    // What a form on another site can send without asking first: it must not log a visitor in.
    ['valid JSON sent as text/plain', json(demo, 'text/plain')],
    ['valid JSON sent as a form', json(demo, 'application/x-www-form-urlencoded')],
    ['valid JSON with no content type', { method: 'POST', body: new Blob([demo]) }],
  ]

  it.each(cases)('%s', async (_name, init) => {
    const mock = msw.start()
    const response = await fetch(mock.endpoints.login, init)
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: 'invalid_request' })
    expect(mock.stats).toMatchObject({ logins: 0, loginFailures: 0 })
  })

  it.each(['application/json; charset=utf-8', 'APPLICATION/JSON', 'application/vnd.api+json'])('accepts JSON declared as %s', async (type) => {
    const mock = msw.start()
    const response = await fetch(mock.endpoints.login, json(demo, type))
    expect(response.status).toBe(200)
  })

  it('accepts a body just under the 64 KiB cap', async () => {
    const mock = msw.start()
    const padding = 'x'.repeat(60 * 1024)
    const response = await post(mock.endpoints.login, { username: 'demo', password: 'demo-password', padding })
    expect(response.status).toBe(200)
  })
})

describe('the user store', () => {
  it('keeps salted PBKDF2 hashes, never the passwords', async () => {
    const password = 'correct horse battery staple'
    const mock = msw.start({ users: [{ username: 'a', password }, { username: 'b', password }] })
    const stored = await mock.users.list()

    const serialized = JSON.stringify(stored)
    expect(serialized).not.toContain(password)
    expect(serialized).not.toContain(Buffer.from(password).toString('base64url'))
    expect(serialized).not.toContain(Buffer.from(password).toString('hex'))
    expect(stored.map((user) => user.passwordHash.algorithm)).toEqual(['PBKDF2-SHA-256', 'PBKDF2-SHA-256'])
    expect(stored[0]?.passwordHash.iterations).toBe(10_000)
    // Same password, different salts, so different hashes.
    expect(stored[0]?.passwordHash.salt).not.toBe(stored[1]?.passwordHash.salt)
    expect(stored[0]?.passwordHash.hash).not.toBe(stored[1]?.passwordHash.hash)
  })

  it('adds users at run time, refuses a duplicate name, and keeps them across reset()', async () => {
    const mock = msw.start({ passwordHashIterations: 1000 })
    await mock.users.add({ username: 'late', password: 'late-pw' })
    await expect(mock.users.add({ username: 'late', password: 'other' })).rejects.toThrow(/duplicate username/)
    mock.reset()
    expect(decodeJwt((await login(mock, 'late', 'late-pw')).accessToken).sub).toBe('late')
    expect((await mock.users.list()).map((user) => user.username)).toEqual(['demo', 'late'])
    expect((await mock.users.list())[1]?.passwordHash.iterations).toBe(1000)
  })
})

describe('latency', () => {
  it('delays the auth endpoints on fake timers until the delay has passed', async () => {
    vi.useFakeTimers()
    const mock = msw.start()
    mock.faults.latency(2000)
    let settled = false
    const logout = post(mock.endpoints.logout).then((response) => {
      settled = true
      return response
    })

    await vi.advanceTimersByTimeAsync(1999)
    expect(settled).toBe(false)
    await vi.advanceTimersByTimeAsync(1)
    expect((await logout).status).toBe(204)
    expect(settled).toBe(true)
  })

  it('is gone after faults.clear()', async () => {
    vi.useFakeTimers()
    const mock = msw.start()
    mock.faults.latency(60_000)
    mock.faults.clear()
    let settled = false
    const logout = post(mock.endpoints.logout).then(() => {
      settled = true
    })
    await vi.advanceTimersByTimeAsync(10)
    expect(settled).toBe(true)
    await logout
  })
})
