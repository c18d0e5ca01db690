// examples/oidc in three tabs of one Chromium against node oidc-provider, which rotates refresh tokens and revokes
// the whole grant when a spent one comes back: tabs whose token expired together must spend the refresh token once.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { accountPage, callApi, oidcSuite, signIn, storedSession } from './oidcExample'

describe('three tabs signed in through the redirect login', () => {
  const suite = oidcSuite()

  /** The refresh lock of the tabs' client, as Web Locks sees it from any tab of the origin. */
  const refreshLock = (page: Page) =>
    page.evaluate(async () => {
      const { held = [], pending = [] } = await navigator.locks.query()
      const mine = (lock: LockInfo) => lock.name?.endsWith(':refresh')
      return { held: held.filter(mine).length, pending: pending.filter(mine).length }
    })

  it('expiring together, they cost one refresh at the provider, and the grant survives to refresh again', async () => {
    const { example, browser } = suite
    const tabs = [await browser.context.newPage()]
    await signIn(tabs[0]!, example)
    // The other tabs open signed in: the session is in localStorage.
    for (const _ of [1, 2]) {
      const tab = await browser.context.newPage()
      await tab.goto(`${example.app}/account`)
      await accountPage(tab).waitFor()
      tabs.push(tab)
    }
    const start = await example.stats()

    await example.advance(example.accessTokenTtl + 1)
    // The first refresh's answer is held at the provider until every tab has met the expired token and the other
    // two wait for the refresh lock: the race this test is about, not a lucky ordering.
    await example.holdRefreshes()
    const answers = tabs.map(callApi)
    await expect.poll(() => example.stats().then(({ apiRefused, refreshesHeld }) => ({ apiRefused: apiRefused - start.apiRefused, refreshesHeld })), { timeout: 15_000 }).toEqual({ apiRefused: 3, refreshesHeld: 1 })
    await expect.poll(() => refreshLock(tabs[0]!), { timeout: 15_000 }).toEqual({ held: 1, pending: 2 })
    await example.releaseRefreshes()
    expect(await Promise.all(answers)).toEqual(Array(3).fill('Call 1: the API answered for alice'))

    const after = await example.stats()
    expect(after.refreshes - start.refreshes).toBe(1)
    expect(after.refreshesRefused - start.refreshesRefused).toBe(0)
    expect(after.grantsRevoked - start.grantsRevoked).toBe(0)
    expect(after.apiOk - start.apiOk).toBe(3)
    // Every tab holds the rotated pair: their next calls need no refresh.
    const sessions = await Promise.all(tabs.map(storedSession))
    expect(new Set(sessions.map((session) => session?.refreshToken)).size).toBe(1)
    expect(await Promise.all(tabs.map(callApi))).toEqual(Array(3).fill('Call 2: the API answered for alice'))
    expect((await example.stats()).refreshes).toBe(after.refreshes)

    // The grant is alive: the next expiry refreshes again, once, from whichever tab asks.
    await example.advance(example.accessTokenTtl + 1)
    expect(await callApi(tabs[2]!)).toBe('Call 3: the API answered for alice')
    const last = await example.stats()
    expect({ refreshes: last.refreshes - after.refreshes, refused: last.refreshesRefused - after.refreshesRefused, revoked: last.grantsRevoked }).toEqual({
      refreshes: 1,
      refused: 0,
      revoked: 0,
    })
  })

  it('a sign out in one tab signs every tab out, and each goes home rather than back to the provider', async () => {
    const { example, browser } = suite
    const tabs = [await browser.context.newPage(), await browser.context.newPage()]
    await signIn(tabs[0]!, example)
    await tabs[1]!.goto(`${example.app}/account`)
    await accountPage(tabs[1]!).waitFor()
    const start = await example.stats()

    await tabs[0]!.getByRole('button', { name: 'Sign out' }).click()

    await Promise.all(tabs.map((tab) => tab.getByRole('heading', { name: 'Signed out' }).waitFor()))
    for (const tab of tabs) expect(new URL(tab.url()).origin).toBe(example.app)
    await expect.poll(() => example.stats().then(({ revocations }) => revocations - start.revocations)).toBe(1)
  })
})
