// `refreshToken: 'cookie'` in a real browser: the server keeps the refresh token in an HttpOnly cookie, so no
// script of the page can ever read it, and the client restores the session after a reload with one silent refresh.
import { DEFAULT_REFRESH_COOKIE_NAME } from '@tokenrail/mock-server'
import { startMockAuthServer, type RunningMockAuthServer } from '@tokenrail/mock-server/node'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser, type Browser } from './browser'
import { addTodo, dashboard, logOut, signIn, signInForm, todosLoaded } from './demoPage'

/** Everything a script of the page can read: cookies and both web storages. */
const readableByScripts = (page: Page) =>
  page.evaluate(() => {
    const dump = (storage: Storage) => Object.keys(storage).map((key) => `${key}=${storage.getItem(key)}`)
    return [document.cookie, ...dump(localStorage), ...dump(sessionStorage)].join('\n')
  })

describe('cookie mode in a real browser', () => {
  let server: RunningMockAuthServer
  let browser: Browser

  beforeAll(async () => {
    server = await startMockAuthServer({ staticDir: inject('exampleBuilds').server, refreshToken: 'cookie' })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  const refreshCookie = async () =>
    (await browser.context.cookies()).find((cookie) => cookie.name === DEFAULT_REFRESH_COOKIE_NAME)

  it('a logged-out page load asks for the session once, is answered 204, and leaves the console clean', async () => {
    const page = await browser.context.newPage()
    const errors: string[] = []
    page.on('console', (message) => message.type() === 'error' && errors.push(message.text()))
    const restore = page.waitForResponse((response) => new URL(response.url()).pathname === '/auth/refresh')
    const before = { ...server.mock.stats }
    await page.goto(`${server.url}/?mode=cookie`)
    expect((await restore).status()).toBe(204)
    await signInForm(page).waitFor()
    expect(server.mock.stats.refreshAttempts - before.refreshAttempts).toBe(1)
    expect(errors).toEqual([])
    await page.close()
  })

  it('keeps the refresh token in an HttpOnly cookie that document.cookie never shows, and survives a reload', async () => {
    const page = await browser.context.newPage()
    await page.goto(`${server.url}/?mode=cookie`)
    await signIn(page)
    await todosLoaded(page)

    const cookie = await refreshCookie()
    expect(cookie).toMatchObject({ domain: '127.0.0.1', httpOnly: true, secure: true, sameSite: 'Strict', path: '/auth/refresh' })
    expect(cookie?.value.length).toBeGreaterThan(16)
    expect(await readableByScripts(page)).not.toContain(cookie!.value)
    expect(await page.evaluate(() => document.cookie)).not.toContain(DEFAULT_REFRESH_COOKIE_NAME)

    const before = { ...server.mock.stats }
    await page.reload()
    await dashboard(page).waitFor()
    await addTodo(page, 'Still logged in after a reload')
    // The reload restored the session with one silent refresh, which rotated the cookie.
    expect(server.mock.stats.refreshes - before.refreshes).toBe(1)
    expect(server.mock.stats.logins - before.logins).toBe(0)
    const rotated = await refreshCookie()
    expect(rotated?.value).not.toBe(cookie!.value)
    expect(await readableByScripts(page)).not.toContain(rotated!.value)

    await logOut(page)
    expect(await refreshCookie()).toBeUndefined()
    await page.reload()
    await signInForm(page).waitFor()
  })
})
