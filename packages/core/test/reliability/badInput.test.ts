import { afterEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient, isAuthError, type AuthClient, type AuthClientOptions, type TokenStorage } from '../../src'
import { unsignedJwt } from '../unsignedJwt'
import { createFakeTabs } from './fakeTabs'

// Bad input through every door a token comes in by: a login answer, a refresh answer, setTokens, storage and
// another tab. Unit tests of the validators (tokens.test.ts) and of stored records (storedSession.test.ts)
// cover the rules; these cover that each door applies them, keeps what the client had, and stores nothing.

const API = 'https://api.example.com'
const base64url = (text: string) => Buffer.from(text).toString('base64url')
const header = base64url(JSON.stringify({ alg: 'HS256', typ: 'at+jwt' }))
/** A JWT whose payload is `text` as it stands (so it can hold what JSON.stringify never writes). */
const rawJwt = (text: string) => `${header}.${base64url(text)}.c2lnbmF0dXJl`
const valid = () => unsignedJwt({ sub: 'u1', iat: 1_800_000_000, exp: 1_800_000_300 })

/** Tokens refused at every door; the storage door is also covered by storedSession.test.ts for the others. */
const BAD_TOKENS: [string, string][] = [
  ['two segments', `${header}.${base64url('{"sub":"u1"}')}`],
  ['four segments', `${valid()}.c2ln`],
  ['a payload that is not base64url', `${header}.ab+/cd.c2ln`],
  ['a payload that is not JSON', rawJwt('sub=u1')],
  ['a number payload', unsignedJwt(42)],
  ['a null payload', unsignedJwt(null)],
  ['a string payload', unsignedJwt('claims')],
  ['exp as NaN (not JSON)', rawJwt('{"sub":"u1","exp":NaN}')],
  ['exp as Infinity (1e999)', rawJwt('{"sub":"u1","exp":1e999}')],
]
const BAD_TOKENS_EVERYWHERE_BUT_STORAGE: [string, string][] = [
  ['exp as a string', unsignedJwt({ sub: 'u1', exp: '1800000300' })],
  ['a token over 16 KiB', unsignedJwt({ sub: 'u1', pad: 'a'.repeat(16 * 1024) })],
]

let clients: AuthClient[] = []
afterEach(() => {
  clients.forEach((client) => client.destroy())
  clients = []
  vi.unstubAllGlobals()
})

/** A storage that remembers every write, so a test can tell that nothing bad was stored. */
function recordingStorage(initial: unknown = null) {
  let value = initial
  const writes: unknown[] = []
  const storage: TokenStorage = {
    get: () => value,
    set: (tokens) => void writes.push((value = tokens)),
    clear: () => void writes.push((value = null)),
  }
  return { storage, writes }
}

/** A client whose auth endpoints answer `body` (JSON) with `status`; everything else answers 200. */
function clientAnswering(body: () => unknown, options: Partial<AuthClientOptions> = {}) {
  const { storage, writes } = recordingStorage()
  const transport: typeof fetch = async (input) => {
    const url = String(input)
    const text = url.includes('/auth/') ? JSON.stringify(body()) : '{"ok":true}'
    return new Response(text, { status: 200, headers: { 'content-type': 'application/json' } })
  }
  const auth = createAuthClient({ baseURL: API, fetch: transport, storage, crossTab: false, ...options })
  clients.push(auth)
  return { auth, writes }
}

const tokensWith = (accessToken: string) => ({ accessToken, refreshToken: 'r1', expiresIn: 300 })

async function refusal(promise: Promise<unknown>) {
  const error = await promise.then(
    () => expect.unreachable('expected a rejection'),
    (reason: unknown) => reason,
  )
  expect(isAuthError(error)).toBe(true)
  return error as { code: string; message: string }
}

describe.each([...BAD_TOKENS, ...BAD_TOKENS_EVERYWHERE_BUT_STORAGE])('an access token with %s', (_, token) => {
  it('from a login answer: login rejects invalid_token, nothing is stored, nobody hears of a login', async () => {
    const { auth, writes } = clientAnswering(() => tokensWith(token))
    const login = vi.fn()
    auth.on('login', login)
    const error = await refusal(auth.login({ username: 'u', password: 'p' }))
    expect(error.code).toBe('invalid_token')
    expect(error.message).not.toContain(token)
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', accessToken: null })
    expect(writes).toEqual([])
    expect(login).not.toHaveBeenCalled()
  })

  it('from a refresh answer: refresh rejects bad_response, the session and storage keep the tokens they had', async () => {
    let answer = tokensWith(valid())
    const { auth, writes } = clientAnswering(() => answer)
    await auth.login({ username: 'u', password: 'p' })
    const before = auth.getState()
    answer = tokensWith(token)
    const error = await refusal(auth.refresh())
    expect(error.code).toBe('bad_response')
    expect(auth.getState()).toEqual({ ...before })
    expect(writes).toHaveLength(1)
  })

  it('from setTokens: throws invalid_token and keeps the state object it had', () => {
    const { auth, writes } = clientAnswering(() => null)
    auth.setTokens({ accessToken: valid(), refreshToken: 'r1' })
    const before = auth.getState()
    expect(() => auth.setTokens({ accessToken: token, refreshToken: 'r2' })).toThrow(expect.objectContaining({ code: 'invalid_token' }))
    expect(auth.getState()).toBe(before)
    expect(writes).toHaveLength(1)
  })

  it('from another tab: the message is ignored', () => {
    const tabs = createFakeTabs()
    vi.stubGlobal('BroadcastChannel', tabs.BroadcastChannel)
    const { auth } = clientAnswering(() => null, { crossTab: true })
    auth.setTokens({ accessToken: valid(), refreshToken: 'r1' })
    const before = auth.getState()
    tabs.otherTab(`tokenrail:${API}/`, () => undefined).postMessage({ tokens: { accessToken: token, refreshToken: 'r2' } })
    while (tabs.deliverNext());
    expect(auth.getState()).toBe(before)
  })
})

describe.each(BAD_TOKENS)('a stored access token with %s', (_, token) => {
  it('reads as logged out and is removed', async () => {
    const { storage, writes } = recordingStorage({ accessToken: token, refreshToken: 'r1' })
    const auth = createAuthClient({ baseURL: API, storage, crossTab: false })
    clients.push(auth)
    await auth.ready
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', accessToken: null })
    expect(writes).toEqual([null])
  })
})

describe('numbers beyond any date', () => {
  it('an exp of 1e300 is accepted without an expiry: the token is used until a 401 says otherwise', async () => {
    const { auth } = clientAnswering(() => ({ accessToken: unsignedJwt({ sub: 'u1', exp: 1e300 }), refreshToken: 'r1' }))
    await auth.login({ username: 'u', password: 'p' })
    expect(auth.getState()).toMatchObject({ status: 'authenticated', expiresAt: null })
  })

  it.each([
    ['a string', '300'],
    ['negative', -5],
    ['1e300', 1e300],
  ])('an expiresIn that is %s is ignored, and the token expiry read from its claims', async (_, expiresIn) => {
    const accessToken = unsignedJwt({ sub: 'u1' })
    const { auth } = clientAnswering(() => ({ accessToken, refreshToken: 'r1', expiresIn }))
    await auth.login({ username: 'u', password: 'p' })
    expect(auth.getState()).toMatchObject({ status: 'authenticated', accessToken, expiresAt: null })
  })

  it.each([
    ['1e300', 1e300],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['a string', 'soon'],
  ])('a stored expiresAt that is %s is ignored like an exp beyond any date', async (_, expiresAt) => {
    const { storage } = recordingStorage({ accessToken: unsignedJwt({ sub: 'u1' }), refreshToken: 'r1', expiresAt, server: `${API}/` })
    const auth = createAuthClient({ baseURL: API, storage, crossTab: false })
    clients.push(auth)
    expect(auth.getState()).toMatchObject({ status: 'authenticated', expiresAt: null })
  })
})

describe('a parseTokens that returns junk', () => {
  const JUNK: [string, unknown][] = [
    ['null', null],
    ['a string', 'token'],
    ['an access token that is a number', { accessToken: 42 }],
    ['a promise', Promise.resolve(tokensWith(valid()))],
    ['a refresh token that is a number', { accessToken: valid(), refreshToken: 42 }],
  ]

  it.each(JUNK)('returning %s fails the login with a typed error and stores nothing', async (_, junk) => {
    const { auth, writes } = clientAnswering(() => ({}), { parseTokens: () => junk as never })
    const error = await refusal(auth.login({ username: 'u', password: 'p' }))
    expect(['bad_response', 'invalid_token']).toContain(error.code)
    expect(auth.getState().status).toBe('unauthenticated')
    expect(writes).toEqual([])
  })

  it.each([...JUNK, ['42', 42]])('returning %s fails the refresh with bad_response and keeps the session', async (_, junk) => {
    let parsed: unknown = tokensWith(valid())
    const { auth } = clientAnswering(() => ({}), { parseTokens: () => parsed as never })
    await auth.login({ username: 'u', password: 'p' })
    const before = auth.getState()
    parsed = junk
    expect((await refusal(auth.refresh())).code).toBe('bad_response')
    expect(auth.getState()).toEqual({ ...before })
  })

  it('that throws fails the refresh with bad_response and keeps the session', async () => {
    let fail = false
    const { auth } = clientAnswering(() => tokensWith(valid()), {
      parseTokens: (body) => {
        if (fail) throw new Error('unexpected shape')
        return body as never
      },
    })
    await auth.login({ username: 'u', password: 'p' })
    fail = true
    expect((await refusal(auth.refresh())).code).toBe('bad_response')
    expect(auth.getState().status).toBe('authenticated')
  })
})

describe('__proto__ keys pollute nothing', () => {
  const polluted = () => (({}) as Record<string, unknown>).polluted

  it('next to a token set in a login answer: the tokens are taken, the key stays data', async () => {
    const accessToken = valid()
    const transport: typeof fetch = async () =>
      new Response(`{"accessToken":"${accessToken}","refreshToken":"r1","__proto__":{"polluted":true,"accessToken":"evil"}}`)
    const auth = createAuthClient({ baseURL: API, fetch: transport, crossTab: false })
    clients.push(auth)
    await auth.login({ username: 'u', password: 'p' })
    expect(auth.getState().accessToken).toBe(accessToken)
    expect(polluted()).toBeUndefined()
  })

  it('holding the token set in a login answer: no token set is read from it', async () => {
    const transport: typeof fetch = async () => new Response(`{"__proto__":{"accessToken":"${valid()}","refreshToken":"r1"}}`)
    const auth = createAuthClient({ baseURL: API, fetch: transport, crossTab: false })
    clients.push(auth)
    expect((await refusal(auth.login({ username: 'u', password: 'p' }))).code).toBe('bad_response')
    expect(polluted()).toBeUndefined()
  })

  it('in the claims of a token that logs in: the user object keeps its prototype', async () => {
    const accessToken = rawJwt('{"sub":"u1","__proto__":{"polluted":true,"admin":true}}')
    const { auth } = clientAnswering(() => tokensWith(accessToken))
    const state = await auth.login({ username: 'u', password: 'p' })
    expect(Object.getPrototypeOf(state.user)).toBe(Object.prototype)
    expect((state.user as Record<string, unknown>).admin).toBeUndefined()
    expect(polluted()).toBeUndefined()
  })

  it.each([
    ['null', null],
    ['an array', [{ accessToken: 'x' }]],
    ['a string', 'token'],
    ['a __proto__ key holding the tokens', JSON.parse(`{"__proto__":{"accessToken":"${valid()}"}}`)],
  ])('from an async storage that resolves %s: logged out once ready', async (_, junk) => {
    const clear = vi.fn(async () => undefined)
    const auth = createAuthClient({ baseURL: API, storage: { get: async () => junk, set: async () => undefined, clear }, crossTab: false })
    clients.push(auth)
    expect(auth.getState().status).toBe('loading')
    await auth.ready
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', accessToken: null })
    expect(polluted()).toBeUndefined()
  })
})

describe('a server answering 200 with HTML to an app request', () => {
  it('hands the page to the caller as it came, without a refresh: only a refused token means the session is in doubt', async () => {
    let refreshes = 0
    const transport: typeof fetch = async (input) => {
      if (String(input).endsWith('/auth/refresh')) refreshes++
      return new Response('<!doctype html><title>Sign in</title>', { status: 200, headers: { 'content-type': 'text/html' } })
    }
    const auth = createAuthClient({ baseURL: API, fetch: transport, crossTab: false })
    clients.push(auth)
    auth.setTokens({ accessToken: valid(), refreshToken: 'r1' })
    const response = await auth.fetch(`${API}/api/todos`)
    expect(await response.text()).toContain('<title>Sign in</title>')
    expect(refreshes).toBe(0)
    expect(auth.getState().status).toBe('authenticated')
  })
})
