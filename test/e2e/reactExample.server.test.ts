// The React example as `npm run serve` runs it: built, and served by the real mock server on the same origin.
import { startMockAuthServer, type RunningMockAuthServer } from '@tokenrail/mock-server/node'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { launchBrowser, type Browser } from './browser'
import { addTodo, logOut, screenshot, shownRefreshes, signIn, todosLoaded } from './demoPage'

describe('the React example served by tokenrail-mock-server', () => {
  let server: RunningMockAuthServer
  let browser: Browser

  beforeAll(async () => {
    server = await startMockAuthServer({ staticDir: inject('exampleBuilds').server })
    browser = await launchBrowser()
  })
  afterAll(async () => {
    await browser?.close()
    await server?.close()
  })

  it('logs in through the form, refreshes once when the token expired, and logs out', async () => {
    const page = await browser.context.newPage()
    await page.goto(server.url)
    await signIn(page)
    expect(server.mock.stats.logins).toBe(1)
    expect(await todosLoaded(page)).toEqual([])
    await addTodo(page, 'Read the tokenrail README')
    await screenshot(page, 'react-example-logged-in')

    server.mock.clock.advance(301)
    const before = { ...server.mock.stats }
    await addTodo(page, 'Renew the token without noticing')

    expect(server.mock.stats.unauthorized - before.unauthorized).toBe(1)
    expect(server.mock.stats.refreshAttempts - before.refreshAttempts).toBe(1)
    expect(server.mock.stats.refreshes - before.refreshes).toBe(1)
    expect(await todosLoaded(page)).toEqual(['Read the tokenrail README', 'Renew the token without noticing'])
    expect(await shownRefreshes(page)).toBe(1)

    await logOut(page)
    expect(server.mock.stats.revoked).toBe(1)
  })
})
