// The React example as a developer would show it: at 1280 px and at 360 px, logged out, logged in, and after a
// refresh storm, with no sideways scroll, and the request timeline showing the 401s, the one refresh and the
// retries. Screenshots land in test/e2e/artifacts/react-example-<width>-<state>.png.
import { startMockAuthServer, type RunningMockAuthServer } from '@tokenrail/mock-server/node'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, inject, it } from 'vitest'
import { launchBrowser, type Browser } from './browser'
import { dashboard, refreshStorm, screenshot, shownRefreshes, sidewaysOverflow, signIn, signInForm, timeline, timelineRows, todosLoaded } from './demoPage'

const WIDTHS = [
  { width: 1280, height: 900 },
  { width: 360, height: 760 },
]

/** Seconds since midnight of a "HH:MM:SS" the page shows, and of the page's clock now. */
const secondsOfDay = (text: string) => text.split(':').map(Number).reduce((total, part) => total * 60 + part, 0)
const pageSecondsOfDay = (page: Page) =>
  page.evaluate(() => {
    const now = new Date()
    return now.getHours() * 3600 + now.getMinutes() * 60 + now.getSeconds()
  })

/** How far the `iat` the claims card shows is from the page's clock now, in seconds. */
async function iatDistanceFromNow(page: Page): Promise<number> {
  const iat = await page.getByRole('region', { name: 'Claims' }).getByRole('row', { name: /^iat/ }).getByRole('cell').textContent()
  const distance = Math.abs(secondsOfDay(iat ?? '') - (await pageSecondsOfDay(page)))
  return Math.min(distance, 86_400 - distance)
}

describe.each(WIDTHS)('the React example at $width px', (viewport) => {
  let server: RunningMockAuthServer
  let browser: Browser
  let page: Page

  beforeAll(async () => {
    // As `npm run serve` starts it: with the control endpoints the page's demo buttons use to move the clock.
    server = await startMockAuthServer({ staticDir: inject('exampleBuilds').server, controlEndpoints: true })
    browser = await launchBrowser()
  })
  beforeEach(async () => {
    server.mock.reset()
    page = await browser.context.newPage()
    await page.setViewportSize(viewport)
  })
  // Each test is a tab of its own: a tab left open would hand its session to the next one, as open tabs do.
  afterEach(async () => {
    await page?.close()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('logged out: the sign-in form as wide as the card beside or below it, no timeline, no controls, no sideways scroll', async () => {
    await page.goto(server.url)
    await signInForm(page).waitFor()
    const form = await signInForm(page).boundingBox()
    const about = await page.getByRole('region', { name: 'About this demo' }).boundingBox()
    expect(form && about && Math.abs(form.width - about.width)).toBeLessThanOrEqual(1)
    expect(await timeline(page).count()).toBe(0)
    expect(await page.getByRole('group', { name: 'Demo controls' }).count()).toBe(0)
    expect(await sidewaysOverflow(page)).toBe(0)
    await screenshot(page, `react-example-${viewport.width}-logged-out`)
  })

  async function openSignedIn() {
    await page.goto(server.url)
    await signIn(page)
    await todosLoaded(page)
  }

  it('logged in: the timeline shows the login and the first call, the claims are on this browser’s clock', async () => {
    await openSignedIn()
    await expect.poll(() => timelineRows(page)).toEqual([
      expect.stringMatching(/^#1 \d\d:\d\d:\d\d POST \/auth\/login new session → token A 200$/),
      expect.stringMatching(/^#2 \d\d:\d\d:\d\d GET \/api\/todos call 1 · first try · token A 200$/),
    ])
    expect(await iatDistanceFromNow(page)).toBeLessThanOrEqual(2)
    expect(await sidewaysOverflow(page)).toBe(0)
    await screenshot(page, `react-example-${viewport.width}-logged-in`)
  })

  it('after a refresh storm: five 401s, one refresh, five retries, on screen and on the server, and the clocks still agree', async () => {
    await openSignedIn()
    const before = { ...server.mock.stats }

    const message = await refreshStorm(page)

    expect(message).toBe('5 requests → 5 × 401 → 1 refresh → 5 retries → 5 × 200')
    expect(server.mock.stats.unauthorized - before.unauthorized).toBe(5)
    expect(server.mock.stats.refreshes - before.refreshes).toBe(1)
    expect(server.mock.stats.refreshAttempts - before.refreshAttempts).toBe(1)
    const rows = await timelineRows(page)
    expect(rows.filter((row) => / 401 token expired$/.test(row))).toHaveLength(5)
    expect(rows.filter((row) => /POST \/auth\/refresh one refresh for every waiting request → token B 200$/.test(row))).toHaveLength(1)
    expect(rows.filter((row) => / retry · token B 200$/.test(row))).toHaveLength(5)
    expect(rows.some((row) => row.includes('Server clock moved 5 min on'))).toBe(true)
    expect(await shownRefreshes(page)).toBe(1)

    // The new token was issued on a clock 5 minutes ahead; the page shows it on its own.
    await page.getByRole('region', { name: 'Claims' }).getByText(/The server’s clock is 5:0\d ahead/).waitFor()
    expect(await iatDistanceFromNow(page)).toBeLessThanOrEqual(2)

    expect(await sidewaysOverflow(page)).toBe(0)
    await dashboard(page).waitFor()
    await screenshot(page, `react-example-${viewport.width}-after-refresh-storm`)
  })
})
