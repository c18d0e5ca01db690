// Memory storage that feels persistent: a new tab, or a reload, joins the session the open tabs hold. Several tabs
// of one browser, the built ESM client, against the real mock server (no reuse grace window).
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startMockAuthServer, type RunningMockAuthServer } from '@tokenrail/mock-server/node'
import { DEMO_USER } from '@tokenrail/mock-server'
import type { Page } from 'playwright-core'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type Browser } from './browser'

const root = fileURLToPath(new URL('../../', import.meta.url))

/** What the test page puts on `window`. */
interface Tab {
  client: import('@tokenrail/core').AuthClient
  ready: Promise<string>
  events: string[]
}

// `?storage=session` picks sessionStorage; memory otherwise. The page records when `ready` settled and how.
const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{"imports":{"jwt-decode":"/jwt-decode.js"}}</script>
<script type="module">
import * as tr from '/tokenrail.js'
const q = new URLSearchParams(location.search)
const options = { baseURL: location.origin }
if (q.get('storage') === 'session') options.storage = tr.webStorage(() => sessionStorage)
const client = tr.createAuthClient(options)
window.events = []
for (const name of ['login', 'logout', 'refresh', 'sessionExpired', 'error']) client.on(name, () => window.events.push(name))
window.client = client
window.ready = client.ready.then(() => client.getState().status)
</script></head><body>tokenrail</body></html>`

let dir: string
let server: RunningMockAuthServer
let browser: Browser

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tokenrail-join-'))
  await writeFile(join(dir, 'index.html'), PAGE)
  await copyFile(join(root, 'packages/core/dist/index.js'), join(dir, 'tokenrail.js'))
  await copyFile(join(root, 'node_modules/jwt-decode/build/esm/index.js'), join(dir, 'jwt-decode.js'))
  server = await startMockAuthServer({ staticDir: dir })
})
afterAll(async () => {
  await server?.close()
  await rm(dir, { recursive: true, force: true })
})
afterEach(async () => {
  await browser?.close()
  server.mock.reset()
})

const statusOnceReady = (tab: Page) => tab.evaluate(() => (window as unknown as Tab).ready)
const accessToken = (tab: Page) => tab.evaluate(() => (window as unknown as Tab).client.getState().accessToken)

async function openTab(query = ''): Promise<Page> {
  const tab = await browser.context.newPage()
  await tab.goto(`${server.url}/${query}`)
  await tab.waitForFunction(() => (window as unknown as Tab).ready !== undefined)
  return tab
}

async function loggedInTab(query = ''): Promise<Page> {
  browser = await launchBrowser()
  const tab = await openTab(query)
  expect(await statusOnceReady(tab)).toBe('unauthenticated')
  await tab.evaluate((credentials) => (window as unknown as Tab).client.login(credentials).then(() => undefined), {
    username: DEMO_USER.username,
    password: DEMO_USER.password,
  })
  return tab
}

describe('memory storage across tabs', () => {
  it('a tab opened after another logged in is authenticated within ready, at no cost at the server, and no other tab hears a login', async () => {
    const first = await loggedInTab()
    const counts = { ...server.mock.stats }
    const second = await openTab()
    expect(await statusOnceReady(second)).toBe('authenticated')
    expect(await accessToken(second)).toBe(await accessToken(first))
    expect(server.mock.stats.logins).toBe(counts.logins)
    expect(server.mock.stats.refreshAttempts).toBe(counts.refreshAttempts)
    expect(await first.evaluate(() => (window as unknown as Tab).events)).toEqual(['login'])
    expect(await second.evaluate(() => (window as unknown as Tab).events)).toEqual([])
  })

  it('a reload while another tab is open stays logged in, with no refresh', async () => {
    const first = await loggedInTab()
    await openTab()
    const before = server.mock.stats.refreshAttempts
    await first.reload()
    await first.waitForFunction(() => (window as unknown as Tab).ready !== undefined)
    expect(await statusOnceReady(first)).toBe('authenticated')
    expect(server.mock.stats.refreshAttempts).toBe(before)
  })

  it('after every tab closed, a new tab is logged out', async () => {
    const first = await loggedInTab()
    await first.close()
    const next = await openTab()
    expect(await statusOnceReady(next)).toBe('unauthenticated')
  })

  it('after a logout in any tab, a new tab is logged out', async () => {
    const first = await loggedInTab()
    const second = await openTab()
    expect(await statusOnceReady(second)).toBe('authenticated')
    await second.evaluate(() => (window as unknown as Tab).client.logout())
    await first.waitForFunction(() => (window as unknown as Tab).client.getState().status === 'unauthenticated')
    const third = await openTab()
    expect(await statusOnceReady(third)).toBe('unauthenticated')
  })
})

describe('sessionStorage across tabs', () => {
  it('a tab reloaded while another tab’s refresh lands takes the rotated session from it, and spends no rotated token', async () => {
    const first = await loggedInTab('?storage=session')
    const second = await openTab('?storage=session')
    expect(await statusOnceReady(second)).toBe('authenticated')
    // The first tab's refresh is answered while the second reloads: the second's sessionStorage still holds the
    // pair that refresh spent, and the first tab's news of the new pair reaches no page yet.
    server.mock.faults.latency(300)
    await first.evaluate(() => void (window as unknown as Tab).client.refresh())
    await expect.poll(() => server.mock.stats.refreshAttempts, { timeout: 5000 }).toBe(1)
    server.mock.faults.clear()
    await second.reload()
    await second.waitForFunction(() => (window as unknown as Tab).ready !== undefined)
    expect(await statusOnceReady(second)).toBe('authenticated')
    await expect.poll(() => server.mock.stats.refreshes, { timeout: 5000 }).toBe(1)
    await second.waitForFunction((token) => (window as unknown as Tab).client.getState().accessToken === token, await accessToken(first))
    // The second tab refreshes next: with the rotated refresh token, not the spent one.
    const refreshed = await second.evaluate(() => (window as unknown as Tab).client.refresh().then(() => 'ok', (e: Error) => `${e.name}: ${e.message}`))
    expect(refreshed).toBe('ok')
    expect(server.mock.stats.reuseDetected).toBe(0)
  })
})
