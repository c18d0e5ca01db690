import { SignJWT, decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import type { MockAuthServer } from '@tokenrail/mock-server'
import { getWithToken, login, post, segment, useMsw } from './helpers'

const msw = useMsw()
const KEY = 'a-test-key-that-is-long-enough-for-hs256!'

/** A token with every claim this server expects, signed with KEY under the given header. */
function signWithHeader(header: { alg: string; typ: string }) {
  return new SignJWT({ sub: 'demo', iss: 'tokenrail-mock-server', aud: 'tokenrail-demo-api' })
    .setProtectedHeader(header)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(new TextEncoder().encode(KEY))
}

async function refusal(response: Response) {
  return {
    status: response.status,
    wwwAuthenticate: response.headers.get('www-authenticate'),
    body: (await response.json()) as { error: string; error_description?: string },
  }
}

function expectRefused(result: Awaited<ReturnType<typeof refusal>>, reason: string) {
  expect(result.status).toBe(401)
  expect(result.wwwAuthenticate).toBe('Bearer error="invalid_token"')
  expect(result.body).toEqual({ error: 'invalid_token', error_description: reason })
}

describe('a valid Bearer token', () => {
  it('reaches /auth/me, which answers the token subject and user claims', async () => {
    const mock = msw.start()
    const { accessToken } = await login(mock)
    const response = await getWithToken(mock.endpoints.me, accessToken)
    expect(response.status).toBe(200)
    expect(await response.json()).toEqual({
      sub: 'demo',
      name: 'Demo User',
      email: 'demo@example.com',
      roles: ['user'],
    })
  })

  it('accepts the scheme name in any case', async () => {
    const mock = msw.start()
    const { accessToken } = await login(mock)
    const response = await fetch(mock.endpoints.me, { headers: { Authorization: `bearer ${accessToken}` } })
    expect(response.status).toBe(200)
  })

  it('is valid until exp, on the server clock', async () => {
    const mock = msw.start({ accessTokenTtl: 60 })
    const { accessToken } = await login(mock)
    mock.clock.advance(59)
    expect((await getWithToken(mock.endpoints.me, accessToken)).status).toBe(200)
    mock.clock.advance(1)
    expectRefused(await refusal(await getWithToken(mock.endpoints.me, accessToken)), 'token expired')
  })
})

describe('refused tokens answer 401 with WWW-Authenticate: Bearer error="invalid_token"', () => {
  async function todosWith(mock: MockAuthServer, headers: Record<string, string>) {
    return refusal(await fetch(mock.endpoints.todos, { headers }))
  }

  it('no Authorization header', async () => {
    const mock = msw.start()
    expectRefused(await todosWith(mock, {}), 'missing bearer token')
  })

  it('another scheme (Basic)', async () => {
    const mock = msw.start()
    const basic = `Basic ${Buffer.from('demo:demo-password').toString('base64')}`
    expectRefused(await todosWith(mock, { Authorization: basic }), 'authorization header is not a Bearer token')
  })

  it('a Bearer header with no token, or two', async () => {
    const mock = msw.start()
    expectRefused(await todosWith(mock, { Authorization: 'Bearer' }), 'authorization header is not a Bearer token')
    expectRefused(await todosWith(mock, { Authorization: 'Bearer a b' }), 'authorization header is not a Bearer token')
  })

  it('a token that is not a JWT', async () => {
    const mock = msw.start()
    expectRefused(await todosWith(mock, { Authorization: 'Bearer not-a-jwt' }), 'malformed token')
  })

  it('alg: none with no signature', async () => {
    const mock = msw.start()
    const { accessToken } = await login(mock)
    const unsigned = `${segment({ alg: 'none', typ: 'at+jwt' })}.${accessToken.split('.')[1]}.`
    expectRefused(await refusal(await getWithToken(mock.endpoints.todos, unsigned)), 'algorithm not allowed')
  })

  it('alg: none keeping the original signature', async () => {
    const mock = msw.start()
    const { accessToken } = await login(mock)
    const [, payload, signature] = accessToken.split('.')
    const forged = `${segment({ alg: 'none', typ: 'at+jwt' })}.${payload}.${signature}`
    expectRefused(await refusal(await getWithToken(mock.endpoints.todos, forged)), 'algorithm not allowed')
  })

  it('another HMAC algorithm (HS512) even with the right key', async () => {
    const mock = msw.start({ key: KEY })
    const token = await signWithHeader({ alg: 'HS512', typ: 'at+jwt' })
    expectRefused(await refusal(await getWithToken(mock.endpoints.todos, token)), 'algorithm not allowed')
  })

  it('a changed payload', async () => {
    const mock = msw.start()
    const { accessToken } = await login(mock)
    const [header, payload, signature] = accessToken.split('.')
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString())
    const tampered = `${header}.${segment({ ...claims, sub: 'admin' })}.${signature}`
    expectRefused(await refusal(await getWithToken(mock.endpoints.todos, tampered)), 'signature verification failed')
  })

  it('a truncated signature', async () => {
    const mock = msw.start()
    const { accessToken } = await login(mock)
    expectRefused(
      await refusal(await getWithToken(mock.endpoints.todos, accessToken.slice(0, -4))),
      'signature verification failed',
    )
  })

  it('a signed token with padding appended, or its last character changed in bits the decoder ignores', async () => {
    const mock = msw.start()
    const { accessToken } = await login(mock)
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_'
    const lastBitFlipped = accessToken.slice(0, -1) + alphabet[alphabet.indexOf(accessToken.slice(-1)) ^ 1]
    expect((await getWithToken(mock.endpoints.todos, accessToken)).status).toBe(200)
    expectRefused(await refusal(await getWithToken(mock.endpoints.todos, `${accessToken}=`)), 'malformed token')
    expectRefused(await refusal(await getWithToken(mock.endpoints.todos, lastBitFlipped)), 'malformed token')
  })

  it("another server's key", async () => {
    const mock = msw.start()
    const other = msw.start({ baseURL: 'https://other.example.com' })
    const { accessToken } = await login(other)
    expectRefused(await refusal(await getWithToken(mock.endpoints.todos, accessToken)), 'signature verification failed')
  })

  it('a wrong audience', async () => {
    const mock = msw.start()
    const token = await mock.signAccessToken({ sub: 'demo', aud: 'another-api' })
    expectRefused(await refusal(await getWithToken(mock.endpoints.todos, token)), 'wrong audience')
  })

  it('a wrong issuer', async () => {
    const mock = msw.start()
    const token = await mock.signAccessToken({ sub: 'demo', iss: 'https://evil.example' })
    expectRefused(await refusal(await getWithToken(mock.endpoints.todos, token)), 'wrong issuer')
  })

  it('an expired token', async () => {
    const mock = msw.start()
    const { accessToken } = await login(mock)
    mock.clock.advance(301)
    expectRefused(await refusal(await getWithToken(mock.endpoints.todos, accessToken)), 'token expired')
  })

  it('nbf in the future', async () => {
    const mock = msw.start()
    const nbf = Math.floor(mock.clock.now() / 1000) + 60
    const token = await mock.signAccessToken({ sub: 'demo', nbf })
    expectRefused(await refusal(await getWithToken(mock.endpoints.todos, token)), 'token not yet valid')
    mock.clock.advance(60)
    expect((await getWithToken(mock.endpoints.todos, token)).status).toBe(200)
  })

  it('a token without exp', async () => {
    const mock = msw.start()
    const token = await mock.signAccessToken({ sub: 'demo', exp: undefined })
    expect(decodeJwt(token).exp).toBeUndefined()
    expectRefused(await refusal(await getWithToken(mock.endpoints.todos, token)), 'missing claim: exp')
  })

  it('(control) the same hand-made token with HS256 and at+jwt is accepted', async () => {
    const mock = msw.start({ key: KEY })
    expect((await getWithToken(mock.endpoints.todos, await signWithHeader({ alg: 'HS256', typ: 'at+jwt' }))).status).toBe(200)
  })

  it('a JWT of another type than at+jwt', async () => {
    const mock = msw.start({ key: KEY })
    const token = await signWithHeader({ alg: 'HS256', typ: 'JWT' })
    expectRefused(await refusal(await getWithToken(mock.endpoints.todos, token)), 'wrong token type')
  })

  it('a token of a session revoked by logout', async () => {
    const mock = msw.start()
    const { accessToken, refreshToken } = await login(mock)
    await post(mock.endpoints.logout, { refreshToken })
    expectRefused(await refusal(await getWithToken(mock.endpoints.todos, accessToken)), 'session revoked')
  })

  it('counts every refusal and every request that reached a protected route', async () => {
    const mock = msw.start()
    const { accessToken } = await login(mock)
    await fetch(mock.endpoints.todos)
    await getWithToken(mock.endpoints.me, 'x.y.z')
    await getWithToken(mock.endpoints.todos, accessToken)
    expect(mock.stats).toMatchObject({ apiRequests: 3, unauthorized: 2 })
  })
})

describe('signAccessToken', () => {
  it('crafts tokens this server accepts, with a custom lifetime or a skewed iat', async () => {
    const mock = msw.start()
    const now = Math.floor(mock.clock.now() / 1000)
    const short = await mock.signAccessToken({ sub: 'demo' }, { expiresIn: 5 })
    expect(decodeJwt(short)).toMatchObject({ iat: now, exp: now + 5, iss: 'tokenrail-mock-server', aud: 'tokenrail-demo-api' })

    const skewed = await mock.signAccessToken({ sub: 'demo' }, { iat: now + 7200, expiresIn: 60 })
    expect(decodeJwt(skewed)).toMatchObject({ iat: now + 7200, exp: now + 7260 })
    expect((await getWithToken(mock.endpoints.todos, skewed)).status).toBe(200)

    mock.clock.advance(5)
    expect((await getWithToken(mock.endpoints.todos, short)).status).toBe(401)
  })

  it('signs with another key on request, which this server refuses', async () => {
    const mock = msw.start()
    const foreign = await mock.signAccessToken({ sub: 'demo' }, { key: 'x'.repeat(32) })
    expect((await getWithToken(mock.endpoints.todos, foreign)).status).toBe(401)
  })
})

describe('the demo todo API', () => {
  it('keeps todos per user', async () => {
    const mock = msw.start({
      users: [
        { username: 'ana', password: 'pw-ana' },
        { username: 'bo', password: 'pw-bo' },
      ],
    })
    const ana = (await login(mock, 'ana', 'pw-ana')).accessToken
    const bo = (await login(mock, 'bo', 'pw-bo')).accessToken

    const created = await post(mock.endpoints.todos, { title: '  buy milk ' }, { Authorization: `Bearer ${ana}` })
    expect(created.status).toBe(201)
    expect(await created.json()).toEqual({ id: '1', title: 'buy milk', done: false })
    await post(mock.endpoints.todos, { title: 'ship it', done: true }, { Authorization: `Bearer ${ana}` })

    expect(await (await getWithToken(mock.endpoints.todos, ana)).json()).toEqual([
      { id: '1', title: 'buy milk', done: false },
      { id: '2', title: 'ship it', done: true },
    ])
    expect(await (await getWithToken(mock.endpoints.todos, bo)).json()).toEqual([])
  })

  it('refuses a POST without a valid token before reading its body', async () => {
    const mock = msw.start()
    const response = await post(mock.endpoints.todos, { title: 'x' })
    expect(response.status).toBe(401)
    expect(response.headers.get('www-authenticate')).toBe('Bearer error="invalid_token"')
  })

  it.each([
    ['bad JSON', '{"title":'],
    ['no body', undefined],
    ['an empty title', { title: '   ' }],
    ['a title that is not a string', { title: 42 }],
    ['a title over 200 characters', { title: 'x'.repeat(201) }],
    ['done that is not a boolean', { title: 'x', done: 'yes' }],
    ['a body over 64 KiB', { title: 'x', pad: 'y'.repeat(65 * 1024) }],
  ])('answers 400 invalid_request to %s', async (_name, body) => {
    const mock = msw.start()
    const { accessToken } = await login(mock)
    const response = await post(mock.endpoints.todos, body, { Authorization: `Bearer ${accessToken}` })
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: 'invalid_request' })
    expect(await (await getWithToken(mock.endpoints.todos, accessToken)).json()).toEqual([])
  })
})
