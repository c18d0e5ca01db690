import { describe, expect, it } from 'vitest'
import { createAuthClient } from '../src'
import { unsignedJwt } from './unsignedJwt'

const API = 'https://api.example.com'
const token = unsignedJwt({ sub: 'u1' })

function loggedIn(allowedOrigins?: string[]) {
  const auth = createAuthClient({ baseURL: API, allowedOrigins })
  auth.setTokens({ accessToken: token, refreshToken: 'r1' })
  return auth
}

describe('policy.tokenFor: the exact-origin allowlist', () => {
  it.each([
    ['the API origin', `${API}/api/todos`],
    ['the origin with its default port', 'https://api.example.com:443/x'],
    ['the origin in upper case', 'HTTPS://API.EXAMPLE.COM/x'],
    ['the origin with no path', API],
    ['a relative URL (resolved against baseURL outside a page)', '/api/todos'],
    ['a URL object', new URL('/x', API)],
    ['leading spaces the URL parser strips', `  ${API}/x`],
    // WHATWG URLs read a backslash as a slash: this request really goes to the API host
    ['a backslash before an @', 'https://api.example.com\\@evil.org/x'],
  ])('gives the token to %s', (_, url) => {
    expect(loggedIn().policy.tokenFor(url)).toBe(token)
  })

  it.each([
    ['another port', 'https://api.example.com:8443/x'],
    ['another scheme', 'http://api.example.com/x'],
    ['a suffix look-alike', 'https://api.example.com.evil.org/x'],
    ['a prefix look-alike', 'https://api.example.co/x'],
    ['a userinfo trick', 'https://api.example.com@evil.org/x'],
    ['a tab inside the host', 'https://api.example.com\t.evil.org/x'],
    ['a protocol-relative foreign host', '//evil.org/x'],
    ['another host entirely', 'https://evil.org/https://api.example.com/'],
  ])('refuses %s', (_, url) => {
    expect(loggedIn().policy.tokenFor(url)).toBeNull()
  })

  it.each([
    ['a scheme with no slashes', 'https:evil.example.org/x'],
    ['a scheme with one slash', 'https:/evil.example.org/x'],
  ])('outside a page, reads %s as the host Node’s fetch would send it to, and refuses it', (_, url) => {
    expect(new URL(url).host).toBe('evil.example.org')
    expect(loggedIn().policy.tokenFor(url)).toBeNull()
  })

  it('honours every listed origin and nothing else', () => {
    const auth = loggedIn([API, 'https://files.example.org'])
    expect(auth.policy.tokenFor('https://files.example.org/a')).toBe(token)
    expect(auth.policy.tokenFor('https://files.example.org.evil.org/a')).toBeNull()
  })

  it('never allows an opaque origin', () => {
    const auth = loggedIn()
    expect(auth.policy.tokenFor('data:text/plain,hello')).toBeNull()
    expect(auth.policy.tokenFor('file:///etc/passwd')).toBeNull()
    const opaqueBase = createAuthClient({ baseURL: 'file:///app/index.html' })
    opaqueBase.setTokens({ accessToken: token })
    expect(opaqueBase.policy.tokenFor('file:///app/data.json')).toBeNull()
  })

  // Resolved against the page, 'api.example.com' would silently allow the page's own origin instead.
  it.each(['api.example.com', 'api.example.com:443', '/api', 'data:text/plain,x', 'file:///app/index.html'])(
    'refuses an allowedOrigins entry that names no origin (%s) when the client is created',
    (entry) => {
      expect(() => createAuthClient({ baseURL: API, allowedOrigins: [API, entry] })).toThrow(
        new TypeError(`tokenrail: allowedOrigins "${entry}" is not an origin (https://host)`),
      )
    },
  )

  it('retryWith never hands a token for an origin outside the allowlist', () => {
    const auth = loggedIn()
    expect(auth.policy.retryWith('https://evil.org/x', 401, token)).toBeNull()
  })
})
