// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest'
import { fakeWebStorage } from '../../test/fakeStorage'
import { decodeTokens, encodeTokens } from './codec'
import { cookieStorage } from './cookieStorage'
import { memoryStorage } from './memoryStorage'
import { webStorage } from './webStorage'

const tokens = { accessToken: 'access', refreshToken: 'refresh', expiresAt: 1_800_000_000_000 }

describe('codec', () => {
  it('round-trips a token set in a versioned record', () => {
    const text = encodeTokens(tokens)
    expect(JSON.parse(text).v).toBe(1)
    expect(decodeTokens(text)).toEqual({ v: 1, ...tokens })
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
    ['another version', JSON.stringify({ v: 2, ...tokens })],
    ['no version', JSON.stringify(tokens)],
  ])('reads %s as not ours (false, to be removed)', (_, text) => {
    expect(decodeTokens(text)).toBe(false)
  })
})

describe('memoryStorage', () => {
  it('keeps one token set per instance', () => {
    const one = memoryStorage()
    const two = memoryStorage()
    one.set(tokens)
    expect(one.get()).toEqual(tokens)
    expect(two.get()).toBeNull()
    one.clear()
    expect(one.get()).toBeNull()
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
    storage.set(tokens)
    expect(JSON.parse(area.getItem('app:auth')!)).toEqual({ v: 1, ...tokens })
    expect(storage.get()).toEqual({ v: 1, ...tokens })
    storage.clear()
    expect(area.getItem('app:auth')).toBeNull()
    expect(reads).toBe(3)
  })

  it('defaults its key to "tokenrail"', () => {
    const area = fakeWebStorage()
    webStorage(area).set(tokens)
    expect(area.getItem('tokenrail')).not.toBeNull()
  })
})

describe('cookieStorage (a readable cookie)', () => {
  it('writes, reads back and clears its cookie', () => {
    const storage = cookieStorage({ name: 'auth', secure: false })
    storage.set(tokens)
    expect(document.cookie).toContain('auth=')
    expect(storage.get()).toEqual({ v: 1, ...tokens })
    storage.clear()
    expect(storage.get()).toBeNull()
  })

  it('reads a cookie that is not URI-decodable as no record', () => {
    document.cookie = 'broken=%E0%A4%A; Path=/'
    expect(cookieStorage({ name: 'broken', secure: false }).get()).toBe(false)
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
    storage.set(tokens)
    expect(storage.get()).toEqual({ v: 1, ...tokens })
    expect(() => storage.set({ accessToken: 'a'.repeat(5000) })).toThrow(expect.objectContaining({ code: 'storage' }))
    cookie.mockRestore()
    write.mockRestore()
  })

  it('sets the attributes it was given', () => {
    const lines: string[] = []
    const write = vi.spyOn(document, 'cookie', 'set').mockImplementation((line: string) => void lines.push(line))
    const read = vi.spyOn(document, 'cookie', 'get').mockImplementation(() => '')
    const storage = cookieStorage({ name: 'auth', path: '/app', sameSite: 'Lax', maxAge: 60, domain: 'example.com' })
    expect(() => storage.set(tokens)).toThrow()
    storage.clear()
    expect(lines[0]).toMatch(/^auth=%7B.*; Path=\/app; SameSite=Lax; Secure; Max-Age=60; Domain=example.com$/)
    expect(lines[1]).toBe('auth=; Path=/app; SameSite=Lax; Secure; Max-Age=0; Domain=example.com')
    write.mockRestore()
    read.mockRestore()
  })
})
