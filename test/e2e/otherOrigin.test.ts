// The set-up a new user tries first: the app on one port, `tokenrail-mock-server` on another. Two origins, so the
// browser applies CORS: the server's `cors` option (`--cors <origin>`) lets the page call it, cookie mode
// included; without it the page says so, and the server names the flag. Vite's proxy (`npm run dev:proxy`)
// is the other way: one origin for the browser, no CORS at all.
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startMockAuthServer, type RunningMockAuthServer } from '@tokenrail/mock-server/node'
import type { Page } from 'playwright-core'
import { createServer, type ViteDevServer } from 'vite'
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser, type Browser } from './browser'
import { dashboard, refreshStorm, signIn, signInForm, todosLoaded } from './demoPage'
import { serveStatic, type StaticHost } from './staticHost'

const exampleRoot = fileURLToPath(new URL('../../examples/react', import.meta.url))
const STORM = '5 requests → 5 × 401 → 1 refresh → 5 retries → 5 × 200'

let browser: Browser
const servers: RunningMockAuthServer[] = []
beforeAll(async () => {
  browser = await launchBrowser()
})
afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()))
})
afterAll(async () => {
  await browser?.close()
})

async function start(options: Parameters<typeof startMockAuthServer>[0]) {
  const server = await startMockAuthServer(options)
  servers.push(server)
  return server
}

/** Signs in, storms, reloads: a cookie-mode session that lives through the whole flow and a reload. */
async function cookieModeFlow(page: Page, server: RunningMockAuthServer, url: string) {
  await page.goto(url)
  await signIn(page)
  await todosLoaded(page)
  expect(await refreshStorm(page)).toBe(STORM)
  expect(server.mock.stats).toMatchObject({ logins: 1, refreshes: 1, reuseDetected: 0 })

  await page.reload()
  await dashboard(page).waitFor()
  // The reload found its session through the HttpOnly cookie: one silent refresh, no new login.
  expect(server.mock.stats).toMatchObject({ logins: 1, refreshes: 2 })
}

describe('a page on another origin than the server', () => {
  let page: StaticHost
  beforeAll(async () => {
    page = await serveStatic(inject('exampleBuilds').server)
  })
  afterAll(async () => {
    await page?.close()
  })

  it('with cors naming the page’s origin: login, refresh storm and a cookie-mode reload all work', async () => {
    const server = await start({ cors: [page.origin], refreshToken: 'cookie', controlEndpoints: true })
    const tab = await browser.context.newPage()
    await cookieModeFlow(tab, server, `${page.origin}/?mode=cookie&api=${encodeURIComponent(server.url)}`)
    await tab.close()
  })

  it('without cors: the form says the server cannot be reached, and the server names the flag that fixes it', async () => {
    const lines: string[] = []
    const server = await start({ log: (line) => lines.push(line) })
    const tab = await browser.context.newPage()
    await tab.goto(`${page.origin}/?api=${encodeURIComponent(server.url)}`)
    const form = signInForm(tab)
    await form.getByLabel('Username').fill('demo')
    await form.getByLabel('Password').fill('demo-password')
    await form.getByRole('button', { name: 'Sign in' }).click()
    await form.getByRole('alert').filter({ hasText: 'The server could not be reached' }).waitFor()
    expect(lines).toEqual([expect.stringContaining(`start it with --cors ${page.origin}`)])
    expect(server.mock.stats.logins).toBe(0)
    await tab.close()
  })
})

describe('Vite’s dev server proxying to the server (npm run dev:proxy)', () => {
  let vite: ViteDevServer
  let server: RunningMockAuthServer
  beforeAll(async () => {
    server = await startMockAuthServer({ refreshToken: 'cookie', controlEndpoints: true })
    // vite.config.ts reads where to proxy when it loads.
    process.env.TOKENRAIL_SERVER = server.url
    try {
      vite = await createServer({
        root: exampleRoot,
        configFile: join(exampleRoot, 'vite.config.ts'),
        mode: 'proxy',
        logLevel: 'warn',
        server: { host: '127.0.0.1', port: 0, strictPort: false },
      })
    } finally {
      delete process.env.TOKENRAIL_SERVER
    }
    await vite.listen()
  })
  afterAll(async () => {
    await vite?.close()
    await server?.close()
  })

  it('one origin for the browser: no CORS, and the cookie-mode session survives a reload', async () => {
    const origin = `http://127.0.0.1:${(vite.httpServer!.address() as AddressInfo).port}`
    const tab = await browser.context.newPage()
    await cookieModeFlow(tab, server, `${origin}/?mode=cookie`)
    const worker = await tab.evaluate(() => navigator.serviceWorker.controller)
    expect(worker).toBeNull()
    await tab.close()
  })
})
