// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { fakeWebStorage } from '../../test/fakeStorage'
import { decodeTokens, encodeTokens } from './codec'
import { cookieStorage } from './cookieStorage'
import { memoryStorage } from './memoryStorage'
import { webStorage } from './webStorage'

const KEY = 'tokenrail:https://api.example.com/'
const tokens = { accessToken: 'access', refreshToken: 'refresh', expiresAt: 1_800_000_000_000, server: 'https://api.example.com/' }

describe('codec', () => {
  it('round-trips a token set in a versioned record', () => {
    const text = encodeTokens(tokens)
    expect(JSON.parse(text).v).toBe(2)
    expect(decodeTokens(text)).toEqual({ v: 2, ...tokens })
  })

  it.each([
    ['nothing', null],
    ['an empty string', ''],
  ])('reads %s as nothing stored', (_, text) => {
    expect(decodeTokens(text)).toBeNull()
  })

  it.each([
    ['not JSON', '{"accessToken":'],
    ['JSON null', 'null'],
    ['a JSON string', '"access"'],
    ['another version', JSON.stringify({ v: 3, ...tokens })],
    ['a record of the version before, which names no auth server', JSON.stringify({ v: 1, accessToken: 'access', refreshToken: 'refresh' })],
    ['no version', JSON.stringify(tokens)],
  ])('reads %s as not ours (false, to be removed)', (_, text) => {
    expect(decodeTokens(text)).toBe(false)
  })
})

describe('memoryStorage', () => {
  it('keeps one token set per instance', () => {
    const one = memoryStorage()
    const two = memoryStorage()
    one.set(tokens, KEY)
    expect(one.get(KEY)).toEqual(tokens)
    expect(two.get(KEY)).toBeNull()
    one.clear(KEY)
    expect(one.get(KEY)).toBeNull()
  })
})

describe('webStorage', () => {
  it('stores under its key and reads the storage lazily', () => {
    const area = fakeWebStorage()
    let reads = 0
    const storage = webStorage(
      () => {
        reads++
        return area
      },
      { key: 'app:auth' },
    )
    expect(reads).toBe(0)
    storage.set(tokens, KEY)
    expect(JSON.parse(area.getItem('app:auth')!)).toEqual({ v: 2, ...tokens })
    expect(storage.get(KEY)).toEqual({ v: 2, ...tokens })
    storage.clear(KEY)
    expect(area.getItem('app:auth')).toBeNull()
    expect(reads).toBe(3)
  })

  it('defaults its key to the client’s own, so two clients of two auth servers on one storage never share a record', () => {
    const area = fakeWebStorage()
    const shared = webStorage(area)
    shared.set(tokens, KEY)
    shared.set({ ...tokens, accessToken: 'other', server: 'https://other.example.com/' }, 'tokenrail:https://other.example.com/')
    expect(JSON.parse(area.getItem(KEY)!)).toMatchObject({ accessToken: 'access' })
    expect(shared.get('tokenrail:https://other.example.com/')).toMatchObject({ accessToken: 'other' })
    shared.clear(KEY)
    expect(area.getItem(KEY)).toBeNull()
    expect(area.getItem('tokenrail:https://other.example.com/')).not.toBeNull()
  })
})

describe('cookieStorage (a readable cookie)', () => {
  it('writes, reads back and clears its cookie', () => {
    const storage = cookieStorage({ name: 'auth', secure: false })
    storage.set(tokens, KEY)
    expect(document.cookie).toContain('auth=')
    expect(storage.get(KEY)).toEqual({ v: 2, ...tokens })
    storage.clear(KEY)
    expect(storage.get(KEY)).toBeNull()
  })

  it('names its cookie after the client’s key by default, cut to what a cookie name may hold', () => {
    const storage = cookieStorage({ secure: false })
    storage.set(tokens, KEY)
    storage.set({ ...tokens, accessToken: 'other' }, 'tokenrail:https://other.example.com/v2/')
    expect(document.cookie).toContain('tokenrail_https___api.example.com_=')
    expect(document.cookie).toContain('tokenrail_https___other.example.com_v2_=')
    expect(storage.get(KEY)).toMatchObject({ accessToken: 'access' })
    storage.clear(KEY)
    expect(storage.get(KEY)).toBeNull()
    expect(storage.get('tokenrail:https://other.example.com/v2/')).toMatchObject({ accessToken: 'other' })
    storage.clear('tokenrail:https://other.example.com/v2/')
  })

  it('reads a cookie that is not URI-decodable as no record', () => {
    document.cookie = 'broken=%E0%A4%A; Path=/'
    expect(cookieStorage({ name: 'broken', secure: false }).get(KEY)).toBe(false)
  })

  it('throws a storage error when the browser drops a cookie that is too large', () => {
    // Browsers silently ignore a cookie over 4096 bytes; this jar does the same.
    const jar = new Map<string, string>()
    const cookie = vi.spyOn(document, 'cookie', 'get').mockImplementation(() =>
      [...jar].map(([name, value]) => `${name}=${value}`).join('; '),
    )
    const write = vi.spyOn(document, 'cookie', 'set').mockImplementation((line: string) => {
      const [pair = ''] = line.split('; ')
      const at = pair.indexOf('=')
      if (line.length <= 4096) jar.set(pair.slice(0, at), pair.slice(at + 1))
    })
    const storage = cookieStorage({ name: 'big' })
    storage.set(tokens, KEY)
    expect(storage.get(KEY)).toEqual({ v: 2, ...tokens })
    expect(() => storage.set({ ...tokens, accessToken: 'a'.repeat(5000) }, KEY)).toThrow(expect.objectContaining({ code: 'storage' }))
    cookie.mockRestore()
    write.mockRestore()
  })

  it('sets the attributes it was given', () => {
    const lines: string[] = []
    const write = vi.spyOn(document, 'cookie', 'set').mockImplementation((line: string) => void lines.push(line))
    const read = vi.spyOn(document, 'cookie', 'get').mockImplementation(() => '')
    const storage = cookieStorage({ name: 'auth', path: '/app', sameSite: 'Lax', maxAge: 60, domain: 'example.com' })
    expect(() => storage.set(tokens, KEY)).toThrow()
    storage.clear(KEY)
    expect(lines[0]).toMatch(/^auth=%7B.*; Path=\/app; SameSite=Lax; Secure; Max-Age=60; Domain=example.com$/)
    expect(lines[1]).toBe('auth=; Path=/app; SameSite=Lax; Secure; Max-Age=0; Domain=example.com')
    write.mockRestore()
    read.mockRestore()
  })
})
