import { decodeJwt } from 'jose'
import { describe, expect, it } from 'vitest'
import { getWithToken, login, post, refresh, useMsw, type TokenBody } from './helpers'

const msw = useMsw()

describe('POST /auth/refresh: rotation', () => {
  it('answers a new pair with no-store and spends the old refresh token', async () => {
    const mock = msw.start()
    const first = await login(mock)
    mock.clock.advance(10)

    const response = await refresh(mock, first.refreshToken)
    expect(response.status).toBe(200)
    expect(response.headers.get('cache-control')).toBe('no-store')
    const second = (await response.json()) as TokenBody
    expect(second).toMatchObject({ tokenType: 'Bearer', expiresIn: 300 })
    expect(second.refreshToken).not.toBe(first.refreshToken)
    expect(second.accessToken).not.toBe(first.accessToken)
    // Same session, new token, issued on the server clock.
    expect(decodeJwt(second.accessToken).sid).toBe(decodeJwt(first.accessToken).sid)
    expect(decodeJwt(second.accessToken).iat).toBe((decodeJwt(first.accessToken).iat ?? 0) + 10)
    expect((await getWithToken(mock.endpoints.me, second.accessToken)).status).toBe(200)
    expect(mock.stats).toMatchObject({ refreshes: 1, refreshAttempts: 1, reuseDetected: 0 })
  })

  it('chains: each new refresh token works exactly once', async () => {
    const mock = msw.start()
    let tokens = await login(mock)
    for (let i = 0; i < 5; i++) {
      const response = await refresh(mock, tokens.refreshToken)
      expect(response.status).toBe(200)
      tokens = (await response.json()) as TokenBody
    }
    expect(mock.stats.refreshes).toBe(5)
  })

  it('answers 400 invalid_grant to an unknown refresh token without counting reuse', async () => {
    const mock = msw.start()
    const response = await refresh(mock, 'never-issued')
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: 'invalid_grant' })
    expect(mock.stats).toMatchObject({ refreshAttempts: 1, refreshes: 0, reuseDetected: 0, revoked: 0 })
  })
})

describe('reuse detection', () => {
  it('a spent token presented again revokes the whole family, the newest token too', async () => {
    const mock = msw.start()
    const first = await login(mock)
    const second = (await (await refresh(mock, first.refreshToken)).json()) as TokenBody

    const replay = await refresh(mock, first.refreshToken)
    expect(replay.status).toBe(400)
    expect(await replay.json()).toMatchObject({ error: 'invalid_grant' })
    expect(mock.stats).toMatchObject({ reuseDetected: 1, revoked: 1 })

    const newest = await refresh(mock, second.refreshToken)
    expect(newest.status).toBe(400)
    expect(await newest.json()).toMatchObject({ error: 'invalid_grant' })
    // The newest access token dies with its session.
    expect((await getWithToken(mock.endpoints.me, second.accessToken)).status).toBe(401)
    expect(mock.stats).toMatchObject({ reuseDetected: 1, revoked: 1, refreshes: 1 })
  })

  it('revokes only the family of the reused token', async () => {
    const mock = msw.start()
    const victim = await login(mock)
    const bystander = await login(mock)
    await refresh(mock, victim.refreshToken)
    await refresh(mock, victim.refreshToken)
    expect((await refresh(mock, bystander.refreshToken)).status).toBe(200)
  })
})

describe('reuseGraceSeconds', () => {
  it('answers the current pair to the just-spent token inside the window, without a new rotation', async () => {
    const mock = msw.start({ reuseGraceSeconds: 5 })
    const first = await login(mock)
    const winner = (await (await refresh(mock, first.refreshToken)).json()) as TokenBody
    mock.clock.advance(5) // the window's edge still counts

    const loser = await refresh(mock, first.refreshToken)
    expect(loser.status).toBe(200)
    const replayed = (await loser.json()) as TokenBody
    expect(replayed.refreshToken).toBe(winner.refreshToken)
    expect(replayed.accessToken).toBe(winner.accessToken)
    expect(replayed.expiresIn).toBe(295)
    expect(mock.stats).toMatchObject({ refreshes: 1, graceReplays: 1, reuseDetected: 0, revoked: 0 })
    // The shared current token still rotates normally.
    expect((await refresh(mock, winner.refreshToken)).status).toBe(200)
  })

  it('treats a replay after the window as reuse', async () => {
    const mock = msw.start({ reuseGraceSeconds: 5 })
    const first = await login(mock)
    const winner = (await (await refresh(mock, first.refreshToken)).json()) as TokenBody
    mock.clock.advance(6)
    expect((await refresh(mock, first.refreshToken)).status).toBe(400)
    expect(mock.stats.reuseDetected).toBe(1)
    expect((await refresh(mock, winner.refreshToken)).status).toBe(400)
  })

  it('covers only the immediately previous token, not older ones', async () => {
    const mock = msw.start({ reuseGraceSeconds: 30 })
    const first = await login(mock)
    const second = (await (await refresh(mock, first.refreshToken)).json()) as TokenBody
    await refresh(mock, second.refreshToken)
    expect((await refresh(mock, first.refreshToken)).status).toBe(400)
    expect(mock.stats.reuseDetected).toBe(1)
  })

  it('is off by default: an immediate replay is reuse', async () => {
    const mock = msw.start()
    const first = await login(mock)
    await refresh(mock, first.refreshToken)
    expect((await refresh(mock, first.refreshToken)).status).toBe(400)
    expect(mock.stats.reuseDetected).toBe(1)
  })
})

describe('two refreshes racing with the same token', () => {
  it('without a grace window: one rotates, the other is reuse and revokes the family', async () => {
    const mock = msw.start()
    const tokens = await login(mock)
    const statuses = (await Promise.all([refresh(mock, tokens.refreshToken), refresh(mock, tokens.refreshToken)])).map(
      (response) => response.status,
    )
    expect(statuses.sort()).toEqual([200, 400])
    expect(mock.stats).toMatchObject({ refreshes: 1, reuseDetected: 1, revoked: 1 })
  })

  it('with a grace window: both get the same new pair from one rotation', async () => {
    const mock = msw.start({ reuseGraceSeconds: 2 })
    const tokens = await login(mock)
    const responses = await Promise.all([refresh(mock, tokens.refreshToken), refresh(mock, tokens.refreshToken)])
    const bodies = (await Promise.all(responses.map((response) => response.json()))) as TokenBody[]
    expect(responses.map((response) => response.status)).toEqual([200, 200])
    expect(bodies[0]).toEqual(bodies[1])
    expect(mock.stats).toMatchObject({ refreshes: 1, graceReplays: 1, reuseDetected: 0 })
  })
})

describe('absolute family lifetime', () => {
  it('rotation never extends it: refresh fails refreshTokenTtl after login however often it rotated', async () => {
    const mock = msw.start({ refreshTokenTtl: 100, accessTokenTtl: 30 })
    let tokens = await login(mock)
    for (let elapsed = 0; elapsed < 90; elapsed += 30) {
      mock.clock.advance(30)
      const response = await refresh(mock, tokens.refreshToken)
      expect(response.status).toBe(200)
      tokens = (await response.json()) as TokenBody
    }
    mock.clock.advance(9) // 99 s after login: still inside
    const lastGood = (await (await refresh(mock, tokens.refreshToken)).json()) as TokenBody
    mock.clock.advance(1) // 100 s after login
    const response = await refresh(mock, lastGood.refreshToken)
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: 'invalid_grant', error_description: 'refresh token expired' })
    expect(mock.stats.reuseDetected).toBe(0)
  })
})

describe('bad refresh requests answer 400 invalid_request', () => {
  it.each([
    ['no body', undefined],
    ['bad JSON', '{"refreshToken":'],
    ['a JSON array', '[]'],
    ['a number for the token', { refreshToken: 42 }],
    ['an empty token', { refreshToken: '' }],
    ['the snake_case field name', { refresh_token: 'x' }],
    ['a body over 64 KiB', { refreshToken: 'x'.repeat(65 * 1024) }],
  ])('%s', async (_name, body) => {
    const mock = msw.start()
    const response = await post(mock.endpoints.refresh, body)
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: 'invalid_request' })
    expect(mock.stats).toMatchObject({ refreshAttempts: 1, refreshes: 0 })
  })
})

describe('faults.failNextRefresh', () => {
  it("'network' fails the request like a dead connection and spends nothing", async () => {
    const mock = msw.start()
    const tokens = await login(mock)
    mock.faults.failNextRefresh('network')
    await expect(refresh(mock, tokens.refreshToken)).rejects.toThrow(TypeError)
    expect((await refresh(mock, tokens.refreshToken)).status).toBe(200)
    expect(mock.stats).toMatchObject({ refreshAttempts: 2, refreshes: 1, reuseDetected: 0 })
  })

  it('a status answers that status and spends nothing', async () => {
    const mock = msw.start()
    const tokens = await login(mock)
    mock.faults.failNextRefresh(503)
    const response = await refresh(mock, tokens.refreshToken)
    expect(response.status).toBe(503)
    expect(await response.json()).toMatchObject({ error: 'injected_fault' })
    expect((await refresh(mock, tokens.refreshToken)).status).toBe(200)
  })

  it("'bad-json' answers a 200 whose body is not JSON, and spends nothing", async () => {
    const mock = msw.start()
    const tokens = await login(mock)
    mock.faults.failNextRefresh('bad-json')
    const response = await refresh(mock, tokens.refreshToken)
    expect(response.status).toBe(200)
    await expect(response.json()).rejects.toThrow(SyntaxError)
    expect((await refresh(mock, tokens.refreshToken)).status).toBe(200)
  })

  it('fails exactly count requests, and calls add up in order', async () => {
    const mock = msw.start()
    const tokens = await login(mock)
    mock.faults.failNextRefresh(500, 2)
    mock.faults.failNextRefresh(502)
    const statuses = []
    for (let i = 0; i < 4; i++) statuses.push((await refresh(mock, tokens.refreshToken)).status)
    expect(statuses).toEqual([500, 500, 502, 200])
    expect(mock.stats).toMatchObject({ refreshAttempts: 4, refreshes: 1 })
  })

  it('fails even a request whose token is spent, without counting reuse or revoking', async () => {
    const mock = msw.start()
    const first = await login(mock)
    const second = (await (await refresh(mock, first.refreshToken)).json()) as TokenBody
    mock.faults.failNextRefresh(503)
    expect((await refresh(mock, first.refreshToken)).status).toBe(503)
    expect(mock.stats.reuseDetected).toBe(0)
    expect((await refresh(mock, second.refreshToken)).status).toBe(200)
  })

  it('are dropped by faults.clear()', async () => {
    const mock = msw.start()
    const tokens = await login(mock)
    mock.faults.failNextRefresh('network', 3)
    mock.faults.clear()
    expect((await refresh(mock, tokens.refreshToken)).status).toBe(200)
  })

  it.each([[0], [200], [600], [503.5], ['boom']])('refuses a bad kind (%s)', (kind) => {
    const mock = msw.start()
    expect(() => mock.faults.failNextRefresh(kind as never)).toThrow(RangeError)
  })

  it('refuses a count below 1', () => {
    const mock = msw.start()
    expect(() => mock.faults.failNextRefresh(500, 0)).toThrow(RangeError)
    expect(() => mock.faults.failNextRefresh(500, 1.5)).toThrow(RangeError)
  })
})
