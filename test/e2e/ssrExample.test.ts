// examples/ssr in Chromium: the server renders the user's page from a token-free snapshot (renderToPipeableStream),
// the browser hydrates it (hydrateRoot) with no warning, and its client then refreshes as usual.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { createAuthClient } from '@tokenrail/core'
import { DEMO_USER } from '@tokenrail/mock-server'
import { startMockAuthServer, type RunningMockAuthServer } from '@tokenrail/mock-server/node'
import type { Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startSsrServer, type RunningSsrServer } from '../../examples/ssr/src/startSsrServer'
import { launchBrowser, type Browser } from './browser'

const exampleRoot = fileURLToPath(new URL('../../examples/ssr', import.meta.url))

describe('the SSR example in Chromium', () => {
  let clientDir: string
  let api: RunningMockAuthServer
  let ssr: RunningSsrServer
  let browser: Browser

  beforeAll(async () => {
    clientDir = await mkdtemp(join(tmpdir(), 'tokenrail-ssr-'))
    await build({ root: exampleRoot, configFile: join(exampleRoot, 'vite.config.ts'), logLevel: 'warn', build: { outDir: clientDir } })
    api = await startMockAuthServer({ port: 0 })
    ssr = await startSsrServer({ clientDir, api: api.url, port: 0 })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await ssr?.close()
    await api?.close()
    if (clientDir) await rm(clientDir, { recursive: true, force: true })
  })

  /**
   * What the page printed as an error or a warning (a hydration mismatch would be one), apart from Chromium's own
   * line for each answer that was not 2xx: those are kept in `failedLoads`, as the 401 a refresh follows is expected.
   */
  function consoleProblems(page: Page): { problems: string[]; failedLoads: string[] } {
    const logged = { problems: [] as string[], failedLoads: [] as string[] }
    page.on('console', (message) => {
      if (!['error', 'warning'].includes(message.type())) return
      const text = message.text()
      ;(text.startsWith('Failed to load resource') ? logged.failedLoads : logged.problems).push(text)
    })
    page.on('pageerror', (error) => void logged.problems.push(error.message))
    return logged
  }

  const unauthorized = 'Failed to load resource: the server responded with a status of 401 (Unauthorized)'

  /** Loads the page; resolves the HTML exactly as the server sent it. */
  async function load(page: Page): Promise<string> {
    const response = await page.goto(ssr.url)
    return (await response?.text()) ?? ''
  }

  /** The tokens the browser's client keeps in its cookie (the one the server reads). */
  async function cookieTokens(): Promise<{ accessToken: string; refreshToken: string }> {
    const cookie = (await browser.context.cookies(ssr.url)).find(({ name }) => name === 'tokenrail')
    return JSON.parse(decodeURIComponent(cookie?.value ?? '{}')) as { accessToken: string; refreshToken: string }
  }

  it('renders the user page on the server without a token, hydrates it cleanly, and refreshes in the browser afterwards', async () => {
    const page = await browser.context.newPage()
    const { problems, failedLoads } = consoleProblems(page)

    // Nobody yet: the server renders the login form, and the browser logs in.
    expect(await load(page)).toContain('aria-label="Sign in"')
    const form = page.getByRole('form', { name: 'Sign in' })
    await form.getByLabel('Username').fill(DEMO_USER.username)
    await form.getByLabel('Password').fill(DEMO_USER.password)
    await form.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Signed in as Demo User' }).waitFor()

    // The user's data, added from elsewhere, for the server to fetch.
    const other = createAuthClient({ baseURL: api.url, crossTab: false, autoRefresh: false })
    await other.login({ username: DEMO_USER.username, password: DEMO_USER.password })
    await other.fetch(`${api.url}/api/todos`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'Fetched by the server' }) })
    other.destroy()

    // A reload: the server knows the session from the cookie and renders the user's page with the todo.
    const tokens = await cookieTokens()
    expect(tokens.accessToken).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/)
    const html = await load(page)
    expect(html).toContain('Signed in as Demo User')
    expect(html).toContain('Fetched by the server')
    expect(html).not.toContain(tokens.accessToken)
    expect(html).not.toContain(tokens.refreshToken)
    expect(html).not.toContain('Checking your session')
    await page.getByRole('heading', { name: 'Signed in as Demo User' }).waitFor()
    expect(await page.getByRole('listitem').allTextContents()).toEqual(['Fetched by the server'])

    // The access token expires on the server: the browser's client refreshes once and retries.
    api.mock.clock.advance(301)
    const before = { ...api.mock.stats }
    await page.getByRole('button', { name: 'Reload todos' }).click()
    await expect.poll(() => api.mock.stats.refreshes - before.refreshes).toBe(1)
    expect(api.mock.stats.unauthorized - before.unauthorized).toBe(1)
    const rotated = await cookieTokens()
    expect(rotated.refreshToken).not.toBe(tokens.refreshToken)

    // The rotated cookie renders the next page on the server as well.
    const next = await load(page)
    expect(next).toContain('Signed in as Demo User')
    expect(next).not.toContain(rotated.accessToken)
    await page.getByRole('heading', { name: 'Signed in as Demo User' }).waitFor()

    expect(problems).toEqual([])
    expect(failedLoads).toEqual([unauthorized])
  })

  it('a token the server finds expired renders loading, and the browser client, which can refresh, takes over', async () => {
    const page = await browser.context.newPage()
    const { problems, failedLoads } = consoleProblems(page)
    await load(page)
    await page.getByRole('heading', { name: 'Signed in as Demo User' }).waitFor()

    api.mock.clock.advance(301)
    const html = await load(page)

    expect(html).toContain('Checking your session…')
    expect(html).not.toContain('Signed in as')
    await page.getByRole('heading', { name: 'Signed in as Demo User' }).waitFor()
    const before = api.mock.stats.refreshes
    await page.getByRole('button', { name: 'Reload todos' }).click()
    await expect.poll(() => api.mock.stats.refreshes - before).toBe(1)
    expect(problems).toEqual([])
    // The browser's own request with the expired token, before its refresh (the server's try is not the page's).
    expect(failedLoads).toEqual([unauthorized])
  })
})
