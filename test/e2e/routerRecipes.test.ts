// The React README's router recipes in Chromium: each built like an app (Vite) and served by the real mock
// server, with the login redirect, the way back and the logout redirect a person sees in the address bar.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { DEMO_USER } from '@tokenrail/mock-server'
import { startMockAuthServer, type RunningMockAuthServer } from '@tokenrail/mock-server/node'
import type { Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type Browser } from './browser'

const exampleRoot = fileURLToPath(new URL('../../examples/routers', import.meta.url))

describe.each(['react-router', 'tanstack-router'])('the %s recipe in Chromium', (mode) => {
  let dir: string
  let server: RunningMockAuthServer
  let browser: Browser

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), `tokenrail-${mode}-`))
    await build({ root: exampleRoot, configFile: join(exampleRoot, 'vite.config.ts'), mode, logLevel: 'warn', build: { outDir: dir } })
    server = await startMockAuthServer({ staticDir: dir })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
    if (dir) await rm(dir, { recursive: true, force: true })
  })

  /** A page that records what the app logged as an error (a hydration or routing warning would show here). */
  async function openPage(path: string): Promise<{ page: Page; errors: string[] }> {
    const page = await browser.context.newPage()
    const errors: string[] = []
    page.on('console', (message) => void (message.type() === 'error' && errors.push(message.text())))
    page.on('pageerror', (error) => void errors.push(error.message))
    await page.goto(server.url + path)
    return { page, errors }
  }

  const path = (page: Page) => {
    const url = new URL(page.url())
    return decodeURIComponent(url.pathname + url.search)
  }

  it('a logged-out visit lands on /login with the way back; the login returns there; a logout redirects again', async () => {
    const { page, errors } = await openPage('/settings')

    const form = page.getByRole('form', { name: 'Sign in' })
    await form.waitFor()
    expect(path(page)).toBe('/login?returnTo=/settings')
    const entries = await page.evaluate(() => history.length)

    await form.getByLabel('Username').fill(DEMO_USER.username)
    await form.getByLabel('Password').fill(DEMO_USER.password)
    await form.getByRole('button', { name: 'Sign in' }).click()
    await page.getByRole('heading', { name: 'Settings of Demo User' }).waitFor()
    expect(path(page)).toBe('/settings')
    expect(server.mock.stats.logins).toBe(1)

    await page.getByRole('button', { name: 'Log out' }).click()
    await form.waitFor()
    expect(path(page)).toBe('/login?returnTo=/settings')
    expect(server.mock.stats.revoked).toBe(1)
    // Every redirect replaced its history entry: going back does not bounce through a protected page.
    expect(await page.evaluate(() => history.length)).toBe(entries)
    expect(errors).toEqual([])
  })
})
