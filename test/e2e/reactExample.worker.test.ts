// The React example as `npm run dev` runs it: the mock server inside the page, behind msw's service worker.
// A static file server that knows nothing of /auth or /api serves the build, so every answer the app gets
// comes from the worker.
import type { AddressInfo } from 'node:net'
import { basename, dirname } from 'node:path'
import type { MockStats } from '@tokenrail/mock-server'
import type { Page } from 'playwright-core'
import { preview, type PreviewServer } from 'vite'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser, type Browser } from './browser'
import { addTodo, logOut, screenshot, shownRefreshes, signIn, todosLoaded } from './demoPage'

/** The counters of the mock server that runs inside the page. */
const pageStats = (page: Page): Promise<MockStats> =>
  page.evaluate(() => {
    const backend = window.tokenrail?.backend
    if (backend?.kind !== 'worker') throw new Error('this page runs no in-page mock server')
    return { ...backend.mock.stats }
  })

describe('the React example with the msw service worker', () => {
  let host: PreviewServer
  let origin: string
  let browser: Browser

  beforeAll(async () => {
    const build = inject('exampleBuilds').worker
    host = await preview({
      configFile: false,
      root: dirname(build),
      logLevel: 'warn',
      build: { outDir: basename(build) },
      preview: { host: '127.0.0.1', port: 0, open: false },
    })
    origin = `http://127.0.0.1:${(host.httpServer.address() as AddressInfo).port}`
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
  })
})
