// Several tabs of one browser, real cookies, the built ESM client, against the real mock server.
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

/** What the test page below puts on `window` (read inside page.evaluate). */
interface Tab {
  client: import('@tokenrail/core').AuthClient
  sub(): string | null
  authStatus(): string
  refreshing: Promise<unknown>
  result: Promise<string> | undefined
  calledAt: number
  logoutAt: number
}
const OTHER = { username: 'other', password: 'other-password', claims: { name: 'Other' } }

const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{"imports":{"jwt-decode":"/jwt-decode.js"}}</script>
<script type="module">
import * as tr from '/tokenrail.js'
const q = new URLSearchParams(location.search)
const options = { baseURL: location.origin }
if (q.get('storage') === 'local') options.storage = tr.webStorage(() => localStorage)
if (q.get('mode') === 'cookie') options.refreshToken = 'cookie'
const client = tr.createAuthClient(options)
window.log = []
for (const name of ['login', 'logout', 'refresh', 'sessionExpired', 'error']) {
  client.on(name, (payload) => window.log.push(name + (payload && payload.message ? ': ' + payload.message : '')))
}
window.client = client
window.sub = () => client.getState().user?.sub ?? null
window.authStatus = () => client.getState().status
window.settled = client.ready.then(() => true)
</script></head><body>tokenrail</body></html>`

let dir: string
let server: RunningMockAuthServer
let cookieServer: RunningMockAuthServer
let browser: Browser

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tokenrail-tabs-'))
  await writeFile(join(dir, 'index.html'), PAGE)
  await copyFile(join(root, 'packages/core/dist/index.js'), join(dir, 'tokenrail.js'))
  await copyFile(join(root, 'node_modules/jwt-decode/build/esm/index.js'), join(dir, 'jwt-decode.js'))
  server = await startMockAuthServer({ staticDir: dir, users: [DEMO_USER, OTHER] })
  cookieServer = await startMockAuthServer({ staticDir: dir, users: [DEMO_USER, OTHER], refreshToken: 'cookie' })
})
afterAll(async () => {
  await server?.close()
  await cookieServer?.close()
  await rm(dir, { recursive: true, force: true })
})
afterEach(async () => {
  await browser?.close()
  server.mock.reset()
  cookieServer.mock.reset()
})

/** Resolves once the tab's client knows whether it has a session. */
const settled = (tab: Page) =>
  tab.waitForFunction(() => (window as unknown as Tab).authStatus?.() && (window as unknown as Tab).authStatus() !== 'loading')

async function openTabs(count: number, url: string): Promise<Page[]> {
  browser = await launchBrowser()
  const tabs = await Promise.all(Array.from({ length: count }, () => browser.context.newPage()))
  for (const tab of tabs) {
    await tab.goto(url)
    await settled(tab)
  }
  return tabs
}

const login = (tab: Page, user: { username: string; password: string }) =>
  tab.evaluate((credentials) => (window as unknown as Tab).client.login(credentials).then(() => 'ok', (e: Error) => `${e.name}: ${e.message}`), {
    username: user.username,
    password: user.password,
  })
const subOf = (tab: Page) => tab.evaluate(() => (window as unknown as Tab).sub() as string | null)
const waitForSub = (tab: Page, sub: string | null) =>
  tab.waitForFunction((expected) => (window as unknown as Tab).sub() === expected && (window as unknown as Tab).authStatus() !== 'loading', sub, { timeout: 5000 })

/** Holds the server's answer to the next refresh it receives, while the rest answers at once. */
async function slowNextRefresh(target: RunningMockAuthServer, send: () => Promise<unknown>, ms = 1000) {
  const before = target.mock.stats.refreshAttempts
  target.mock.faults.latency(ms)
  await send()
  await expect.poll(() => target.mock.stats.refreshAttempts, { timeout: 5000, interval: 5 }).toBe(before + 1)
  // The latency is read when the request arrives: later requests answer at once.
  target.mock.faults.clear()
}

describe('cookie mode, several tabs', () => {
  it.each([
    ['a login as another user', false],
    ['a logout, then a login as another user', true],
  ])('%s in one tab while another tab refreshes: a reload keeps the new user', async (_, logoutFirst) => {
    const [a, b] = await openTabs(2, `${cookieServer.url}/?mode=cookie`)
    expect(await login(a!, DEMO_USER)).toBe('ok')
    await waitForSub(b!, 'demo')

    await slowNextRefresh(cookieServer, () =>
      b!.evaluate(() => {
        const tab = window as unknown as Tab
        tab.refreshing = tab.client.refresh().catch((e: Error) => e.message)
      }),
    )
    if (logoutFirst) {
      await a!.evaluate(() => (window as unknown as Tab).client.logout())
      await waitForSub(b!, null)
    }
    expect(await login(a!, OTHER)).toBe('ok')
    await waitForSub(b!, 'other')
    await b!.waitForFunction(() => (window as unknown as Tab).refreshing.then(() => true))
    expect(await subOf(a!)).toBe('other')
    expect(await subOf(b!)).toBe('other')

    // Every tab shows "other"; a reload must not bring back "demo" (or nobody).
    await a!.reload()
    await settled(a!)
    expect(await subOf(a!)).toBe('other')
  })
})

describe('two tabs, memory storage', () => {
  it('a login made after another tab logged out (that tab busy when the logout was posted) stands in both tabs', async () => {
    const [a, b] = await openTabs(2, `${server.url}/`)
    expect(await login(a!, DEMO_USER)).toBe('ok')
    await waitForSub(b!, 'demo')
    // The login is answered a little later, as over a real network.
    server.mock.faults.latency(200)

    const start = Date.now() + 500
    // Tab B is busy (a long task) from `start` to `start + 400`, then logs in as "other"; tab A logs out at
    // `start + 150`. In wall-clock time the logout comes first, the login second: the login is the newer news.
    await b!.evaluate((at) => {
      setTimeout(() => {
        while (Date.now() < at + 400) {
          // a long task: the logout's message waits in the queue
        }
        ;(window as unknown as Tab).calledAt = Date.now()
        ;(window as unknown as Tab).result = (window as unknown as Tab).client
          .login({ username: 'other', password: 'other-password' })
          .then(() => 'ok', (e: Error) => `${e.name}: ${e.message}`)
      }, at - Date.now())
    }, start)
    await a!.evaluate((at) => {
      setTimeout(() => {
        ;(window as unknown as Tab).logoutAt = Date.now()
        void (window as unknown as Tab).client.logout()
      }, at + 150 - Date.now())
    }, start)
    await b!.waitForFunction(() => (window as unknown as Tab).result !== undefined, undefined, { timeout: 5000 })
    const result = await b!.evaluate(() => (window as unknown as Tab).result)
    const logoutAt = await a!.evaluate(() => (window as unknown as Tab).logoutAt)
    const calledAt = await b!.evaluate(() => (window as unknown as Tab).calledAt)
    expect(logoutAt).toBeLessThan(calledAt)

    expect(result).toBe('ok')
    await waitForSub(a!, 'other')
    await waitForSub(b!, 'other')
  })
})

describe('tab closed, cookie mode', () => {
  it('a tab closed while its refresh is on the wire does not end the session of the other tabs', async () => {
    const [a, b] = await openTabs(2, `${cookieServer.url}/?mode=cookie`)
    expect(await login(a!, DEMO_USER)).toBe('ok')
    await waitForSub(b!, 'demo')
    await slowNextRefresh(cookieServer, () => b!.evaluate(() => void (window as unknown as Tab).client.refresh()), 500)
    const cookie = async () => (await browser.context.cookies()).find((c) => c.name === 'tokenrail_rt')?.value
    const spent = await cookie()
    await b!.close()
    // The server rotated the pair the closed tab asked for...
    await expect.poll(() => cookieServer.mock.stats.refreshes, { timeout: 5000 }).toBe(1)
    // ...and its answer's Set-Cookie must still reach the jar, or the jar keeps a spent refresh token.
    await expect.poll(cookie, { timeout: 3000 }).not.toBe(spent)
    const refreshed = await a!.evaluate(() => (window as unknown as Tab).client.refresh().then(() => 'ok', (e: Error) => `${e.name}: ${e.message}`))
    expect(refreshed).toBe('ok')
    expect(cookieServer.mock.stats.reuseDetected).toBe(0)
    expect(await subOf(a!)).toBe('demo')
  })
})
