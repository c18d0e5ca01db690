// The React example as `npm run dev` runs it: the mock server inside the page, behind msw's service worker.
// A static file server that knows nothing of /auth or /api serves the build, so every answer the app gets
// comes from the worker.
import type { MockStats } from '@tokenrail/mock-server'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser, type Browser } from './browser'
import { serveStatic, type StaticHost } from './staticHost'
import { addTodo, logOut, screenshot, shownRefreshes, signIn, signInForm, todosLoaded } from './demoPage'

/** The counters of the mock server that runs inside the page. */
const pageStats = (page: Page): Promise<MockStats> =>
  page.evaluate(() => {
    const backend = window.tokenrail?.backend
    if (backend?.kind !== 'worker') throw new Error('this page runs no in-page mock server')
    return { ...backend.mock.stats }
  })

describe('the React example with the msw service worker', () => {
  let host: StaticHost
  let origin: string
  let browser: Browser

  beforeAll(async () => {
    host = await serveStatic(inject('exampleBuilds').worker)
    origin = host.origin
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await host?.close()
  })

  it('the static host alone has no auth server', async () => {
    const response = await fetch(`${origin}/auth/login`, { method: 'POST', body: '{}' })
    expect(response.status).not.toBe(200)
    expect(response.headers.get('content-type') ?? '').not.toContain('json')
  })

  it('logs in through the form, refreshes once when the token expired, and logs out', async () => {
    const page = await browser.context.newPage()
    const consoleLines: string[] = []
    page.on('console', (message) => consoleLines.push(message.text()))
    await page.goto(origin)
    await signIn(page)
    const worker = await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)
    expect(worker).toBe(`${origin}/mockServiceWorker.js`)
    expect(await todosLoaded(page)).toEqual([])
    await addTodo(page, 'Read the tokenrail README')
    await screenshot(page, 'react-example-worker-logged-in')

    // The page's own control: it moves the in-page server's clock past the access token's expiry.
    await page.getByRole('button', { name: /Expire the access token/ }).click()
    await page.getByText('Server clock moved 5 minutes on').waitFor()
    const before = await pageStats(page)
    await addTodo(page, 'Renew the token without noticing')
    const after = await pageStats(page)

    expect(after.unauthorized - before.unauthorized).toBe(1)
    expect(after.refreshAttempts - before.refreshAttempts).toBe(1)
    expect(after.refreshes - before.refreshes).toBe(1)
    expect(await shownRefreshes(page)).toBe(1)

    await logOut(page)
    expect((await pageStats(page)).revoked).toBe(1)
    // msw started quiet: the console never saw a request, a password or a token.
    const tokens = await page.evaluate(() => window.tokenrail?.client.getState().accessToken)
    expect(tokens).toBeNull()
    expect(consoleLines.filter((line) => /\[MSW\]|demo-password|refreshToken|accessToken|Bearer /.test(line))).toEqual([])
  })

  it('a second tab with its own in-page server is named on both consoles, with the fix', async () => {
    const first = await browser.context.newPage()
    const second = await browser.context.newPage()
    const warnings = (page: Page) => {
      const lines: string[] = []
      page.on('console', (message) => message.type() === 'warning' && lines.push(message.text()))
      return lines
    }
    const [one, two] = [warnings(first), warnings(second)]
    await first.goto(origin)
    await signInForm(first).waitFor()
    await second.goto(origin)
    await signInForm(second).waitFor()
    await expect.poll(() => [one.length, two.length]).toEqual([1, 1])
    for (const line of [...one, ...two]) {
      expect(line).toMatch(/^\[tokenrail mock\] Another tab of this site runs its own mock auth server/)
      expect(line).toContain('npx tokenrail-mock-server')
    }
  })
})
