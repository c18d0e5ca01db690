import { describe, expect, it } from 'vitest'
import { getWithToken, login, post, refresh, useMsw, type TokenBody } from './helpers'

const msw = useMsw()

describe('POST /auth/logout', () => {
  it('revokes the family of the refresh token in the body', async () => {
    const mock = msw.start()
    const first = await login(mock)
    const second = (await (await refresh(mock, first.refreshToken)).json()) as TokenBody

    const response = await post(mock.endpoints.logout, { refreshToken: second.refreshToken })
    expect(response.status).toBe(204)
    expect(response.headers.get('cache-control')).toBe('no-store')
    expect((await refresh(mock, second.refreshToken)).status).toBe(400)
    expect((await getWithToken(mock.endpoints.me, second.accessToken)).status).toBe(401)
    expect(mock.stats).toMatchObject({ logouts: 1, revoked: 1, reuseDetected: 0 })
  })

  it('revokes by the sid of the Bearer access token when the body names no token', async () => {
    const mock = msw.start()
    const tokens = await login(mock)
    const response = await fetch(mock.endpoints.logout, { method: 'POST', headers: { Authorization: `Bearer ${tokens.accessToken}` } })
    expect(response.status).toBe(204)
    expect((await refresh(mock, tokens.refreshToken)).status).toBe(400)
    expect(mock.stats.revoked).toBe(1)
  })

  it('accepts an expired (but correctly signed) access token, so a user can always log out', async () => {
    const mock = msw.start()
    const tokens = await login(mock)
    mock.clock.advance(3600)
    const response = await post(mock.endpoints.logout, {}, { Authorization: `Bearer ${tokens.accessToken}` })
    expect(response.status).toBe(204)
    expect((await refresh(mock, tokens.refreshToken)).status).toBe(400)
  })

  it('ignores a Bearer token this server did not sign', async () => {
    const mock = msw.start()
    const tokens = await login(mock)
    const forged = await mock.signAccessToken({ sub: 'demo', sid: 'anything' }, { key: 'k'.repeat(32) })
    expect((await post(mock.endpoints.logout, {}, { Authorization: `Bearer ${forged}` })).status).toBe(204)
    expect((await refresh(mock, tokens.refreshToken)).status).toBe(200)
    expect(mock.stats.revoked).toBe(0)
  })

  it('answers 204 for an unknown token, for no token at all, and twice for the same token', async () => {
    const mock = msw.start()
    const tokens = await login(mock)
    expect((await post(mock.endpoints.logout, { refreshToken: 'unknown' })).status).toBe(204)
    expect((await fetch(mock.endpoints.logout, { method: 'POST' })).status).toBe(204)
    expect((await post(mock.endpoints.logout, { refreshToken: tokens.refreshToken })).status).toBe(204)
    expect((await post(mock.endpoints.logout, { refreshToken: tokens.refreshToken })).status).toBe(204)
    expect(mock.stats).toMatchObject({ logouts: 4, revoked: 1 })
  })

  it('leaves the other sessions of the same user alive', async () => {
    const mock = msw.start()
    const laptop = await login(mock)
    const phone = await login(mock)
    await post(mock.endpoints.logout, { refreshToken: laptop.refreshToken })
    expect((await refresh(mock, phone.refreshToken)).status).toBe(200)
  })

  it.each([
    ['bad JSON', '{"refreshToken":'],
    ['a number for the token', { refreshToken: 1 }],
    ['a JSON array', '[]'],
  ])('answers 400 invalid_request to %s', async (_name, body) => {
    const mock = msw.start()
    const response = await post(mock.endpoints.logout, body)
    expect(response.status).toBe(400)
    expect(await response.json()).toMatchObject({ error: 'invalid_request' })
  })
})
