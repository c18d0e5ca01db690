import { createMockAuthServer } from '@tokenrail/mock-server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { cookieStorage, createAuthClient, webStorage, type AuthClient, type TokenSet, type TokenStorage } from '../src'
import { fakeCookieDocument, fakeWebStorage } from './fakeStorage'
import { unsignedJwt } from './unsignedJwt'
import { API, credentials, TODOS, useMockApi } from './mockApi'

const { mock, server, seen, to } = useMockApi()

let clients: AuthClient[] = []
afterEach(() => {
  clients.forEach((client) => client.destroy())
  clients = []
})
function client(storage: TokenStorage, baseURL = API) {
  const auth = createAuthClient({ baseURL, storage })
  clients.push(auth)
  return auth
}
// What a client of API stores, under the key it stores it by.
const SERVER = `${API}/`
const KEY = `tokenrail:${SERVER}`
const record = (tokens: object) => JSON.stringify({ v: 2, server: SERVER, ...tokens })

describe('a stored session', () => {
  it('is restored on start and used for requests', async () => {
    const area = fakeWebStorage()
    const first = client(webStorage(area))
    await first.login(credentials)
    const second = client(webStorage(area))
    expect(second.getState()).toMatchObject({ status: 'authenticated', accessToken: first.getState().accessToken })
    expect((await second.fetch(TODOS)).status).toBe(200)
  })

  it('is written on refresh and removed on logout', async () => {
    const area = fakeWebStorage()
    const auth = client(webStorage(area))
    await auth.login(credentials)
    await auth.refresh()
    expect(JSON.parse(area.getItem(KEY)!)).toMatchObject({ v: 2, server: SERVER, accessToken: auth.getState().accessToken })
    await auth.logout()
    expect(area.getItem(KEY)).toBeNull()
  })

  it('with an expiry already past is refreshed before the first request', async () => {
    const area = fakeWebStorage()
    const first = client(webStorage(area))
    await first.login(credentials)
    const stored = JSON.parse(area.getItem(KEY)!) as TokenSet
    area.setItem(KEY, record({ ...stored, expiresAt: Date.now() - 1000 }))
    mock.clock.advance(301)
    const second = client(webStorage(area))
    expect((await second.fetch(TODOS)).status).toBe(200)
    expect(mock.stats.refreshes).toBe(1)
    expect(to('/api/todos')).toHaveLength(1)
  })
})

describe('corrupt or planted storage reads as logged out, is removed, and never throws', () => {
  const jwt = unsignedJwt({ sub: 'u1', iat: 1, exp: 2 })
  it.each([
    ['not JSON', '{"v":2,"server":"https://api.example.com/","accessToken":'],
    ['JSON null', 'null'],
    ['an array', '[1,2,3]'],
    ['a foreign record without version', JSON.stringify({ accessToken: jwt })],
    ['a record of another version', JSON.stringify({ v: 9, accessToken: jwt })],
    ['a token with a newline (header injection)', record({ accessToken: 'abc\r\nX-Evil: 1' })],
    ['a token over 16 KiB', record({ accessToken: 'a'.repeat(16 * 1024 + 1) })],
    ['a JWT with an array payload', record({ accessToken: unsignedJwt([1]) })],
    ['a JWT with exp as a string', record({ accessToken: unsignedJwt({ exp: 'soon' }) })],
    ['a refresh token of the wrong type', record({ accessToken: jwt, refreshToken: { evil: true } })],
    ['a __proto__ key holding the tokens', `{"v":2,"server":"https://api.example.com/","__proto__":{"accessToken":"${jwt}"}}`],
  ])('%s', async (_, text) => {
    const area = fakeWebStorage({ [KEY]: text })
    const auth = client(webStorage(area))
    expect(auth.getState()).toMatchObject({ status: 'unauthenticated', accessToken: null, user: null })
    expect(area.getItem(KEY)).toBeNull()
    await expect(auth.getAccessToken()).resolves.toBeNull()
  })

  it('a __proto__ key next to valid tokens pollutes nothing', () => {
    const text = `{"v":2,"server":"https://api.example.com/","accessToken":"${jwt}","__proto__":{"polluted":true}}`
    const auth = client(webStorage(fakeWebStorage({ [KEY]: text })))
    expect(auth.getState().status).toBe('authenticated')
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('a custom storage handing back junk of any type reads as logged out', () => {
    for (const junk of [42, 'token', true, [], { accessToken: 42 }, { accessToken: null }]) {
      const clear = vi.fn()
      const auth = client({ get: () => junk, set: () => undefined, clear })
      expect(auth.getState().status).toBe('unauthenticated')
      expect(clear).toHaveBeenCalled()
    }
  })
})

describe('an async storage', () => {
  it('keeps the client loading until it has answered, and ready resolves after', async () => {
    const first = client(webStorage(fakeWebStorage()))
    await first.login(credentials)
    let answer!: (value: unknown) => void
    const auth = client({ get: () => new Promise((resolve) => (answer = resolve)), set: async () => undefined, clear: async () => undefined })
    expect(auth.getState().status).toBe('loading')
    const token = auth.getAccessToken()
    answer({ accessToken: first.getState().accessToken, refreshToken: 'r', server: SERVER })
    await auth.ready
    expect(auth.getState().status).toBe('authenticated')
    expect(await token).toBe(first.getState().accessToken)
  })

  it('writes in order, so the last state written is the last state the client had', async () => {
    const calls: string[] = []
    let finishSet!: () => void
    const auth = client({
      get: async () => null,
      set: () => {
        calls.push('set')
        return new Promise<void>((resolve) => (finishSet = () => (calls.push('set done'), resolve())))
      },
      clear: async () => void calls.push('clear'),
    })
    await auth.ready
    await auth.login(credentials)
    await auth.logout()
    expect(calls).toEqual(['set'])
    finishSet()
    await vi.waitFor(() => expect(calls).toEqual(['set', 'set done', 'clear']))
  })

  it('is not written to at start, whether it holds a session or not', async () => {
    const set = vi.fn()
    const clear = vi.fn()
    const empty = client({ get: async () => null, set, clear })
    await empty.ready
    const stored = client({ get: () => ({ accessToken: unsignedJwt({ sub: 'u' }), server: SERVER }), set, clear })
    await stored.ready
    expect(stored.getState().status).toBe('authenticated')
    expect(set).not.toHaveBeenCalled()
    expect(clear).not.toHaveBeenCalled()
  })
})

describe('a storage that starts failing after it held a session', () => {
  it('is cleared as the client moves to memory, so a reload cannot spend a rotated refresh token', async () => {
    const area = fakeWebStorage()
    let writes = 0
    const flaky = webStorage(area)
    const storage: TokenStorage = {
      get: flaky.get,
      clear: flaky.clear,
      set: (tokens, key) => {
        if (++writes > 1) throw new Error('QuotaExceededError')
        return flaky.set(tokens, key)
      },
    }
    const auth = client(storage)
    await auth.login(credentials)
    expect(area.getItem(KEY)).not.toBeNull()
    await auth.refresh()
    expect(area.getItem(KEY)).toBeNull()
    expect(auth.getState().status).toBe('authenticated')
  })
})

describe('an async storage answering late', () => {
  function deferredStorage(extra: Partial<TokenStorage> = {}) {
    let answer!: (value: unknown) => void
    const storage: TokenStorage = {
      get: () => new Promise((resolve) => (answer = resolve)),
      set: async () => undefined,
      clear: async () => undefined,
      ...extra,
    }
    return { storage, answer: (value: unknown) => answer(value) }
  }

  it('does not undo a logout made while it was being read', async () => {
    const first = client(webStorage(fakeWebStorage()))
    await first.login(credentials)
    const { storage, answer } = deferredStorage()
    const auth = client(storage)
    await auth.logout()
    answer({ accessToken: first.getState().accessToken, refreshToken: 'r', server: SERVER })
    await auth.ready
    expect(auth.getState().status).toBe('unauthenticated')
  })

  /** A session another page load left in storage: real tokens the server knows. */
  async function storedSession() {
    const area = fakeWebStorage()
    await client(webStorage(area)).login(credentials)
    return JSON.parse(area.getItem(KEY)!) as TokenSet
  }

  it('revokes on the server what it held once read, after a logout made while it was being read', async () => {
    const stored = await storedSession()
    const { storage, answer } = deferredStorage()
    const auth = client(storage)
    const loggedOut = vi.fn()
    auth.on('logout', loggedOut)
    const revokedBefore = mock.stats.revoked
    await auth.logout()
    expect(to('/auth/logout')).toHaveLength(0) // nothing known to revoke yet
    answer(stored)
    await auth.ready
    expect(auth.getState().status).toBe('unauthenticated')
    expect(to('/auth/logout')).toHaveLength(1)
    expect(mock.stats.revoked).toBe(revokedBefore + 1)
    expect(loggedOut).toHaveBeenCalledTimes(1)
  })

  it('refresh() called while it is being read waits for the stored session instead of rejecting', async () => {
    const stored = await storedSession()
    const { storage, answer } = deferredStorage()
    const auth = client(storage)
    const refreshing = auth.refresh()
    answer(stored)
    const token = await refreshing
    expect(token).toBe(auth.getState().accessToken)
    expect(token).not.toBe(stored.accessToken)
    expect(to('/auth/refresh')).toHaveLength(1)
  })

  it('does not replace a session set while it was being read', async () => {
    const stored = await mock.signAccessToken({ sub: 'stored' })
    const given = await mock.signAccessToken({ sub: 'given' })
    const { storage, answer } = deferredStorage()
    const auth = client(storage)
    auth.setTokens({ accessToken: given, refreshToken: 'r2' })
    answer({ accessToken: stored, refreshToken: 'r1' })
    await auth.ready
    expect(auth.getState().accessToken).toBe(given)
  })
})

describe('a storage that throws', () => {
  it.each([
    ['on read', { get: () => { throw new Error('SecurityError') } }],
    ['on write', { set: () => { throw new Error('QuotaExceededError') } }],
    ['asynchronously on write', { set: async () => { throw new Error('disk full') } }],
  ])('%s falls back to memory with an error event, and the session keeps working', async (_, failing) => {
    const auth = client({ get: () => null, set: () => undefined, clear: () => undefined, ...failing })
    const errors = vi.fn()
    auth.on('error', errors)
    await auth.login(credentials)
    await vi.waitFor(() => expect(errors).toHaveBeenCalledWith(expect.objectContaining({ code: 'storage' })))
    expect(auth.getState().status).toBe('authenticated')
    expect((await auth.fetch(TODOS)).status).toBe(200)
    await auth.refresh()
    expect(auth.getState().status).toBe('authenticated')
  })
})

describe('a storage that never answers', () => {
  const silent = () => new Promise<never>(() => undefined)

  it('on read: ready settles after the timeout, logged out, with an error event, and requests go out', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const auth = createAuthClient({ baseURL: API, storage: { get: silent, set: silent, clear: silent }, timeout: 2000 })
      clients.push(auth)
      const errors = vi.fn()
      auth.on('error', errors)
      const fetching = auth.fetch(TODOS)
      await vi.advanceTimersByTimeAsync(2000)
      await auth.ready
      expect(auth.getState().status).toBe('unauthenticated')
      expect(errors).toHaveBeenCalledWith(expect.objectContaining({ code: 'storage', message: 'Storage failed: kept in memory' }))
      expect((await fetching).status).toBe(401)
      await auth.login(credentials)
      expect((await auth.fetch(TODOS)).status).toBe(200)
    } finally {
      vi.useRealTimers()
    }
  })

  it('destroy() settles a read at once: no timer is left, and the storage is not cleared for the next client', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const clear = vi.fn()
      const auth = createAuthClient({ baseURL: API, storage: { get: silent, set: () => undefined, clear } })
      auth.destroy()
      await auth.ready
      expect(vi.getTimerCount()).toBe(0)
      // Nothing will ever be read: the snapshot no longer says it is loading.
      expect(auth.getState().status).toBe('unauthenticated')
      await vi.advanceTimersByTimeAsync(10_000)
      expect(clear).not.toHaveBeenCalled()
    } finally {
      vi.useRealTimers()
    }
  })

  it('on write: the session falls back to memory after the timeout, and later writes are not stuck behind it', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] })
    try {
      const writes: string[] = []
      const auth = createAuthClient({
        baseURL: API,
        storage: { get: () => null, set: () => (writes.push('set'), silent()), clear: silent },
        timeout: 2000,
      })
      clients.push(auth)
      const errors = vi.fn()
      auth.on('error', errors)
      await auth.login(credentials)
      await auth.refresh() // answered; its write waits behind the login's
      await vi.advanceTimersByTimeAsync(2000)
      expect(errors).toHaveBeenCalledWith(expect.objectContaining({ code: 'storage' }))
      expect(writes).toEqual(['set'])
      expect(auth.getState().status).toBe('authenticated')
      expect((await auth.fetch(TODOS)).status).toBe(200)
    } finally {
      vi.useRealTimers()
    }
  })
})

describe('two clients of two auth servers on one storage', () => {
  // A second API with its own auth server, on another origin, and one under another path of the same origin.
  const OTHER = 'https://other.example.org'
  const SAME_ORIGIN = `${API}/v2`

  /** Each way of sharing one place: a web storage area, or the page's cookies; by default keys, or one key given to both. */
  const places = {
    'localStorage, default keys': () => {
      const area = fakeWebStorage()
      return { storage: () => webStorage(area), holds: () => [...Array(area.length).keys()].map((i) => area.getItem(area.key(i)!)!) }
    },
    'localStorage, one key given to both': () => {
      const area = fakeWebStorage()
      return { storage: () => webStorage(area, { key: 'app' }), holds: () => [area.getItem('app')].filter((v) => v !== null) }
    },
    'cookieStorage, default names': () => {
      const page = fakeCookieDocument()
      vi.stubGlobal('document', page)
      return { storage: () => cookieStorage(), holds: () => [...page.jar.values()].map(decodeURIComponent) }
    },
    'cookieStorage, one name given to both': () => {
      const page = fakeCookieDocument()
      vi.stubGlobal('document', page)
      return { storage: () => cookieStorage({ name: 'app' }), holds: () => [...page.jar.values()].map(decodeURIComponent) }
    },
  }
  afterEach(() => void vi.unstubAllGlobals())

  describe.each(Object.entries(places))('%s', (_, place) => {
    it.each([
      ['another origin', OTHER],
      ['another path of the same origin', SAME_ORIGIN],
    ])('a client for %s never adopts, sends or spends the record the first one wrote', async (__, otherBase) => {
      const other = createMockAuthServer({ baseURL: otherBase })
      server.use(...other.handlers)
      const { storage, holds } = place()
      const first = client(storage())
      await first.login(credentials)
      const token = first.getState().accessToken!
      seen.length = 0

      const second = client(storage(), otherBase)
      await second.ready
      expect(second.getState()).toMatchObject({ status: 'unauthenticated', accessToken: null })
      expect((await second.fetch(`${otherBase}/api/todos`)).status).toBe(401)
      await expect(second.refresh()).rejects.toMatchObject({ name: 'SessionExpiredError' })
      expect(seen.map((request) => request.authorization)).toEqual([null])
      expect(other.stats.refreshAttempts).toBe(0)
      // The record is the first client's: left where it was, and it still logs that client in.
      expect(holds().some((text) => text.includes(token))).toBe(true)
      expect(client(storage()).getState()).toMatchObject({ status: 'authenticated', accessToken: token })
    })
  })

  it.each(['localStorage, default keys', 'cookieStorage, default names'] as const)(
    'with %s, both stay logged in side by side, each with its own record',
    async (name) => {
      const other = createMockAuthServer({ baseURL: SAME_ORIGIN })
      server.use(...other.handlers)
      const { storage, holds } = places[name]()
      const first = client(storage())
      const second = client(storage(), SAME_ORIGIN)
      await first.login(credentials)
      await second.login(credentials)
      expect(holds()).toHaveLength(2)
      expect(client(storage()).getState().accessToken).toBe(first.getState().accessToken)
      expect(client(storage(), SAME_ORIGIN).getState().accessToken).toBe(second.getState().accessToken)
      await second.logout()
      expect(client(storage()).getState().accessToken).toBe(first.getState().accessToken)
    },
  )
})
