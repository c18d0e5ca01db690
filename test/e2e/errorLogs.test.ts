// What a page's console shows when an app logs a tokenrail error, in real Chromium: never a token.
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startMockAuthServer, type RunningMockAuthServer } from '@tokenrail/mock-server/node'
import { DEMO_USER } from '@tokenrail/mock-server'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type Browser } from './browser'

const root = fileURLToPath(new URL('../../', import.meta.url))

const PAGE = `<!doctype html><html><head><meta charset="utf-8">
<script type="importmap">{"imports":{"jwt-decode":"/jwt-decode.js","axios":"/axios.js","@tokenrail/core":"/tokenrail.js"}}</script>
<script type="module">
import * as tr from '@tokenrail/core'
import { attachAxios } from '/tokenrail-axios.js'
import axios from 'axios'
const client = tr.createAuthClient({ baseURL: location.origin, autoRefresh: false })
const api = axios.create({ baseURL: location.origin })
attachAxios(client, api)
client.on('error', (error) => console.error(error))
client.on('sessionExpired', (error) => console.error(error))
window.client = client
// Everything a console shows when the logged object is expanded: own properties, hidden ones too, deep.
window.deepText = (value) => {
  const seen = new Set()
  const walk = (item, depth) => {
    if (item === null || (typeof item !== 'object' && typeof item !== 'function')) return String(item)
    if (seen.has(item) || depth > 8) return ''
    seen.add(item)
    return Object.getOwnPropertyNames(item).map((key) => { try { return key + ':' + walk(item[key], depth + 1) } catch { return key } }).join(',')
  }
  return walk(value, 0)
}
// Each way an app sends a request; the app logs what it rejects with, as apps do.
window.send = (how) => (how === 'fetch' ? client.fetch('/api/todos') : api.get('/api/todos')).then(
  () => 'resolved',
  (error) => (console.error(error), console.log('logged', error), (window.expanded = deepText(error)), error.name),
)
</script></head><body>tokenrail</body></html>`

interface LogPage {
  client: import('@tokenrail/core').AuthClient
  send(how: string): Promise<string>
}

let dir: string
let server: RunningMockAuthServer
let browser: Browser

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tokenrail-logs-'))
  await writeFile(join(dir, 'index.html'), PAGE)
  await copyFile(join(root, 'packages/core/dist/index.js'), join(dir, 'tokenrail.js'))
  await copyFile(join(root, 'packages/core/dist/axios.js'), join(dir, 'tokenrail-axios.js'))
  await copyFile(join(root, 'node_modules/jwt-decode/build/esm/index.js'), join(dir, 'jwt-decode.js'))
  await copyFile(join(root, 'node_modules/axios/dist/esm/axios.js'), join(dir, 'axios.js'))
  server = await startMockAuthServer({ staticDir: dir })
  browser = await launchBrowser()
})
afterAll(async () => {
  await browser?.close()
  await server?.close()
  await rm(dir, { recursive: true, force: true })
})

/** A fresh page, logged in, with everything its console prints collected (the text Chromium shows). */
async function loggedInPage() {
  const page: Page = await browser.context.newPage()
  const printed: string[] = []
  page.on('console', (message) => void printed.push(message.text()))
  await page.goto(`${server.url}/`)
  await page.waitForFunction(() => (window as unknown as LogPage).client !== undefined)
  const token = await page.evaluate(async (credentials) => {
    const { client } = window as unknown as LogPage
    await client.login(credentials)
    return client.getState().accessToken!
  }, { username: DEMO_USER.username, password: DEMO_USER.password })
  return { page, printed, token }
}

describe.each(['fetch', 'axios'])('in Chromium, through %s', (how) => {
  it.each([
    ['a refused refresh', 'SessionExpiredError', () => server.mock.reset()],
    ['a failed refresh (503)', 'NetworkError', () => server.mock.faults.failNextRefresh(503)],
  ])('%s logged with console.error shows no token', async (_, name, fault) => {
    const { page, printed, token } = await loggedInPage()
    fault()
    server.mock.clock.advance(301)
    expect(await page.evaluate((way) => (window as unknown as LogPage).send(way), how)).toBe(name)
    expect(printed.some((text) => text.includes(name))).toBe(true)
    for (const text of printed) expect(text).not.toContain(token)
    const expanded = await page.evaluate(() => (window as unknown as { expanded: string }).expanded)
    expect(expanded).toContain('cause')
    expect(expanded).not.toContain(token)
    await page.close()
    server.mock.reset()
  })
})
