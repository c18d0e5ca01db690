import { describe, expect, it } from 'vitest'
import { unsignedJwt } from '../test/unsignedJwt'
import { isAuthError } from './errors'
import { checkToken, decodeClaims, expiryOf, MAX_TOKEN_LENGTH, toSession } from './tokens'

const NOW = Date.UTC(2026, 0, 1)
const seconds = (ms: number) => Math.floor(ms / 1000)

function refused(run: () => unknown) {
  try {
    run()
  } catch (error) {
    expect(isAuthError(error) && error.code).toBe('invalid_token')
    return (error as Error).message
  }
  throw new Error('expected the token to be refused')
}

describe('checkToken', () => {
  it('accepts every b64token character and trailing padding', () => {
    expect(() => checkToken('aZ09-._~+/==')).not.toThrow()
  })

  it.each([
    ['a space', 'abc def'],
    ['a CR LF', 'abc\r\nX-Injected: 1'],
    ['a quote', 'abc"'],
    ['padding in the middle', 'ab=c'],
    ['an empty string', ''],
    ['a number', 42],
    ['null', null],
  ])('refuses %s', (_, token) => {
    refused(() => checkToken(token))
  })

  it('refuses a token over 16 KiB and accepts one at the limit', () => {
    expect(() => checkToken('a'.repeat(MAX_TOKEN_LENGTH))).not.toThrow()
    refused(() => checkToken('a'.repeat(MAX_TOKEN_LENGTH + 1)))
  })

  it('never quotes the token in its message', () => {
    const message = refused(() => checkToken('secret value'))
    expect(message).not.toContain('secret')
  })
})

describe('decodeClaims', () => {
  it('decodes a JWT payload and reads an opaque token as claim-less', () => {
    expect(decodeClaims(unsignedJwt({ sub: 'u1', exp: 10 }))).toEqual({ sub: 'u1', exp: 10 })
    expect(decodeClaims('opaque-token_123')).toBeNull()
  })

  it.each([
    ['two segments', 'abc.def'],
    ['four segments', 'a.b.c.d'],
    ['bad base64url payload', 'eyJhbGciOiJIUzI1NiJ9.!!!.sig'],
    ['a number payload', unsignedJwt(42)],
    ['an array payload', unsignedJwt([1, 2])],
    ['a null payload', unsignedJwt(null)],
    ['a string payload', unsignedJwt('claims')],
    ['exp as a string', unsignedJwt({ exp: '1700000000' })],
    ['iat as NaN (null in JSON)', unsignedJwt({ iat: null })],
    ['nbf as an object', unsignedJwt({ nbf: {} })],
  ])('refuses %s', (_, token) => {
    refused(() => decodeClaims(token))
  })

  it('keeps __proto__ in a payload as data, never as a prototype', () => {
    const token = unsignedJwt(JSON.parse('{"sub":"u1","__proto__":{"polluted":true}}'))
    const claims = decodeClaims(token)
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
    expect(Object.getPrototypeOf(claims)).toBe(Object.prototype)
  })
})

describe('expiryOf: expiry on the client clock', () => {
  it('uses the lifetime exp - iat from the moment of receipt, whatever the server clock says', () => {
    const serverNow = seconds(NOW) + 2 * 3600 // server two hours ahead
    const claims = { iat: serverNow, exp: serverNow + 300 }
    expect(expiryOf(claims, undefined, NOW)).toBe(NOW + 300_000)
  })

  it('falls back to expiresIn, then to exp as it stands', () => {
    expect(expiryOf(null, 60, NOW)).toBe(NOW + 60_000)
    expect(expiryOf({ exp: seconds(NOW) + 90 }, undefined, NOW)).toBe(NOW + 90_000)
  })

  it('prefers exp - iat over expiresIn', () => {
    expect(expiryOf({ iat: 100, exp: 400 }, 60, NOW)).toBe(NOW + 300_000)
  })

  it('has no expiry when nothing says one, or when the expiry is already past on arrival', () => {
    expect(expiryOf(null, undefined, NOW)).toBeUndefined()
    expect(expiryOf({ exp: seconds(NOW) - 3600 }, undefined, NOW)).toBeUndefined()
    expect(expiryOf({ iat: 500, exp: 400 }, undefined, NOW)).toBeUndefined()
    expect(expiryOf(null, -5, NOW)).toBeUndefined()
  })

  // Each kind of token a real server issues, on clocks that agree or do not: [what, claims, expiresIn, the
  // server's clock (ms) as its answer's Date header says it, or none, expected expiry from NOW].
  const S = seconds(NOW)
  const HOUR = 3600
  it.each([
    ['iat the issue time, clocks agree', { iat: S, exp: S + 300 }, undefined, undefined, 300_000],
    ['iat the issue time, server 2 h ahead, no Date', { iat: S + 2 * HOUR, exp: S + 2 * HOUR + 300 }, undefined, undefined, 300_000],
    ['iat the issue time, server 2 h behind, no Date', { iat: S - 2 * HOUR, exp: S - 2 * HOUR + 300 }, undefined, undefined, 300_000],
    ['iat the issue time, server 2 h ahead, with Date', { iat: S + 2 * HOUR, exp: S + 2 * HOUR + 300 }, undefined, (S + 2 * HOUR) * 1000, 300_000],
    // Django SimpleJWT: a refreshed access token keeps the login's iat, an hour old; it lives 5 minutes.
    ['an old iat (Django), clocks agree, no Date', { iat: S - HOUR, exp: S + 300 }, undefined, undefined, 300_000],
    ['an old iat (Django), clocks agree, with Date', { iat: S - HOUR, exp: S + 300 }, undefined, S * 1000, 301_000],
    ['an old iat (Django), server 2 h ahead, with Date', { iat: S + HOUR, exp: S + 2 * HOUR + 300 }, undefined, (S + 2 * HOUR) * 1000, 301_000],
    ['an old iat (Django), server 2 h behind, with Date', { iat: S - 3 * HOUR, exp: S - 2 * HOUR + 300 }, undefined, (S - 2 * HOUR) * 1000, 301_000],
    // Without a Date, exp on this clock bounds the lifetime only when it lies a minute or more ahead.
    // What nothing can tell apart: a server ahead, and an iat older than the token. A 401 says so in time.
    ['an old iat (Django), server 2 h ahead, no Date: the stretched lifetime', { iat: S + HOUR, exp: S + 2 * HOUR + 300 }, undefined, undefined, HOUR * 1000 + 300_000],
    ['iat the issue time, server 2 min behind, no Date: refreshed 2 min early', { iat: S - 120, exp: S + 180 }, undefined, undefined, 180_000],
    ['iat the issue time, server 4.5 min behind, no Date: the lifetime, not 30 s', { iat: S - 270, exp: S + 30 }, undefined, undefined, 300_000],
    ['opaque, expiresIn only', null, 600, undefined, 600_000],
    ['exp only, clocks agree', { exp: S + 90 }, undefined, undefined, 90_000],
    ['exp only, server 2 h ahead, with Date', { exp: S + 2 * HOUR + 90 }, undefined, (S + 2 * HOUR) * 1000, 91_000],
    ['exp only, server 2 h behind, with Date: the server’s clock, not an exp already past here', { exp: S - 2 * HOUR + 300 }, undefined, (S - 2 * HOUR) * 1000, 301_000],
    ['exp and expiresIn, no iat, server 2 h behind', { exp: S - 2 * HOUR + 300 }, 300, undefined, 300_000],
  ] as const)('%s', (_, claims, expiresIn, serverDate, lifetime) => {
    expect(expiryOf(claims, expiresIn, NOW, serverDate)! - NOW).toBe(lifetime)
  })

  it('no clock, however far off, makes a token expire on arrival or lets a stretched lifetime stand', () => {
    // A client clock from 12 h behind to 12 h ahead of the server, with and without a Date header.
    for (let skew = -12 * HOUR; skew <= 12 * HOUR; skew += 600) {
      const server = NOW - skew * 1000
      const claims = { iat: seconds(server) - HOUR, exp: seconds(server) + 300 } // an hour-old iat
      const withDate = expiryOf(claims, undefined, NOW, seconds(server) * 1000)! - NOW
      const without = expiryOf(claims, undefined, NOW)! - NOW
      expect(withDate).toBeGreaterThanOrEqual(300_000)
      expect(withDate).toBeLessThanOrEqual(301_000)
      // Without the server's time: never shorter than a minute, never longer than the stretched exp - iat.
      expect(without).toBeGreaterThanOrEqual(60_000)
      expect(without).toBeLessThanOrEqual(HOUR * 1000 + 300_000)
    }
  })

  it('ignores an expiry too large to be a date', () => {
    expect(expiryOf({ exp: 1e300 }, undefined, NOW)).toBeUndefined()
    expect(expiryOf(null, Number.POSITIVE_INFINITY, NOW)).toBeUndefined()
  })
})

describe('toSession', () => {
  const access = unsignedJwt({ sub: 'u1', iat: 1000, exp: 1300 })

  it('derives the user, the expiry and the moment the token turns stale', () => {
    const session = toSession({ accessToken: access, refreshToken: 'r1' }, NOW, 30_000)
    expect(session).toEqual({
      accessToken: access,
      refreshToken: 'r1',
      expiresAt: NOW + 300_000,
      staleAt: NOW + 270_000,
      user: { sub: 'u1', iat: 1000, exp: 1300 },
    })
  })

  it('never lets the leeway exceed half the remaining life of a short token', () => {
    const short = unsignedJwt({ iat: 1000, exp: 1020 })
    expect(toSession({ accessToken: short }, NOW, 30_000).staleAt).toBe(NOW + 10_000)
  })

  it('keeps an expiresAt it is given (a stored session)', () => {
    const session = toSession({ accessToken: access, expiresAt: NOW - 1 }, NOW, 30_000)
    expect(session.expiresAt).toBe(NOW - 1)
    expect(session.staleAt).toBe(NOW - 1)
  })

  it('treats a token without expiry as fresh until a 401 says otherwise', () => {
    expect(toSession({ accessToken: 'opaque' }, NOW, 30_000).staleAt).toBe(Infinity)
  })

  it.each([
    ['null', null],
    ['a string', 'token'],
    ['an array', []],
    ['no access token', { refreshToken: 'r1' }],
    ['a malformed refresh token', { accessToken: access, refreshToken: 'a b' }],
    ['a refresh token of another type', { accessToken: access, refreshToken: 5 }],
  ])('refuses %s', (_, input) => {
    refused(() => toSession(input, NOW, 30_000))
  })
})
