// Several tabs of one browser against one real server: they share its refresh tokens, so a tab that spent a
// refresh token another tab already rotated would trip the server's reuse detection and end every session.
import { startMockAuthServer, type RunningMockAuthServer } from '@tokenrail/mock-server/node'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { launchBrowser, type Browser } from './browser'
import { dashboard, logOut, reloadTodos, signIn, signInForm, todosLoaded } from './demoPage'

/** Resolves once `page` got a 200 from the todo API. */
const todosAnswered = (page: Page) =>
  page.waitForResponse((response) => new URL(response.url()).pathname === '/api/todos' && response.status() === 200)

describe('tabs of one browser', () => {
  let server: RunningMockAuthServer
  let browser: Browser
  let tabs: Page[]

  beforeAll(async () => {
    server = await startMockAuthServer({ staticDir: inject('exampleBuilds').server })
  })
  beforeEach(async () => {
    server.mock.reset()
    browser = await launchBrowser()
    tabs = await Promise.all([browser.context.newPage(), browser.context.newPage(), browser.context.newPage()])
    await Promise.all(tabs.map((tab) => tab.goto(server.url)))
    await Promise.all(tabs.map((tab) => signInForm(tab).waitFor()))
  })
  afterEach(async () => {
    await browser?.close()
  })
  afterAll(async () => {
    await server?.close()
  })

  it('a login in one tab logs in the others', async () => {
    await signIn(tabs[0]!)
    await Promise.all(tabs.map((tab) => dashboard(tab).waitFor()))
    expect(server.mock.stats.logins).toBe(1)
  })

  it('tabs whose token expired together make exactly one refresh, and no reuse is detected', async () => {
    await signIn(tabs[0]!)
    await Promise.all(tabs.map((tab) => todosLoaded(tab)))

    server.mock.clock.advance(301)
    // The refresh answer is held back a little, so every tab's request surely meets the expired token
    // while the first tab's refresh is still out: the race this test is about, not a lucky ordering.
    server.mock.faults.latency(500)
    const before = { ...server.mock.stats }
    const answered = tabs.map(todosAnswered)
    await Promise.all(tabs.map(reloadTodos))
    await Promise.all(answered)
    server.mock.faults.clear()

    const stats = server.mock.stats
    expect(stats.unauthorized - before.unauthorized).toBe(tabs.length)
    expect(stats.refreshAttempts - before.refreshAttempts).toBe(1)
    expect(stats.refreshes - before.refreshes).toBe(1)
    expect(stats.reuseDetected).toBe(0)
    // Every tab holds the same new token: a later call from any of them needs no refresh.
    const tokens = await Promise.all(tabs.map((tab) => tab.evaluate(() => window.tokenrail?.client.getState().accessToken)))
    expect(new Set(tokens).size).toBe(1)
  })

  it('a logout in one tab logs out the others', async () => {
    await signIn(tabs[0]!)
    await Promise.all(tabs.map((tab) => dashboard(tab).waitFor()))
    await logOut(tabs[2]!)
    await Promise.all(tabs.map((tab) => signInForm(tab).waitFor()))
    expect(server.mock.stats.logouts).toBe(1)
    expect(server.mock.stats.revoked).toBe(1)
  })
})
