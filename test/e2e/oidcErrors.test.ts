// examples/oidc in Chromium: a sign-in that does not come back with a good code. The user cancels on the provider's
// pages, the provider answers with an error of its own, or the answer is tampered with on the way back: each shows
// why in the page, exchanges no code and signs nobody in.
import type { Page } from 'playwright-core'
import { describe, expect, it } from 'vitest'
import { consoleProblems, oidcSuite, signInAtProvider, storedSession } from './oidcExample'

describe('a sign-in that fails, in Chromium', () => {
  const suite = oidcSuite()

  /** Opens the app and leaves for the provider with its Sign in button; resolves once the provider's page shows. */
  async function leaveForProvider(page: Page): Promise<void> {
    await page.goto(suite.example.app)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.waitForURL((url) => url.origin === suite.example.issuer)
  }

  /** Sends the next request that `matches` elsewhere (the first of a redirect chain: later ones are not routed). */
  async function redirectOnce(page: Page, matches: (url: URL) => boolean, rewrite: (url: URL) => void): Promise<void> {
    await page.route(
      (url) => matches(url),
      async (route) => {
        const url = new URL(route.request().url())
        rewrite(url)
        await route.fulfill({ status: 302, headers: { location: url.href } })
      },
      { times: 1 },
    )
  }

  /** The failure the callback page shows: its reason, and the error code beside the message. */
  async function failure(page: Page) {
    await page.getByRole('heading', { name: 'Sign-in failed' }).waitFor()
    return {
      reason: await page.getByRole('alert').textContent(),
      code: await page.locator('main code').first().textContent(),
      url: page.url(),
      session: await storedSession(page),
      exchanges: (await suite.counted()).codeExchanges,
    }
  }

  it.each([
    ['login page', async (page: Page) => page.getByRole('link', { name: '[ Cancel ]' }).click()],
    [
      'consent page',
      async (page: Page) => {
        await page.getByPlaceholder('Enter any login').fill('alice')
        await page.getByPlaceholder('and password').fill('any password')
        await page.getByRole('button', { name: 'Sign-in' }).click()
        await page.getByRole('button', { name: 'Continue' }).waitFor()
        await page.getByRole('link', { name: '[ Cancel ]' }).click()
      },
    ],
  ])('Cancel on the provider’s %s comes back as access_denied, shown as such', async (_, cancel) => {
    const { example, browser } = suite
    const page = await browser.context.newPage()
    const { problems } = consoleProblems(page)
    await leaveForProvider(page)
    await cancel(page)

    expect(await failure(page)).toEqual({
      reason: 'The sign-in was cancelled or refused at the provider.',
      code: 'access_denied',
      // The error and the state left the address bar as a code would have.
      url: `${example.app}/callback`,
      session: null,
      exchanges: 0,
    })
    await page.getByText('End-User aborted interaction').waitFor()
    // Try again starts a new round trip, which succeeds.
    await page.getByRole('button', { name: 'Try again' }).click()
    await signInAtProvider(page, example)
    await page.getByRole('heading', { name: 'Account of Alice' }).waitFor()
    expect(problems).toEqual([])
  })

  it('an error the provider answers with itself (login_required for prompt=none) is shown with its code', async () => {
    const { example, browser } = suite
    const page = await browser.context.newPage()
    await redirectOnce(
      page,
      (url) => url.origin === example.issuer && url.pathname === '/auth',
      (url) => url.searchParams.set('prompt', 'none'),
    )
    await page.goto(example.app)
    await page.getByRole('button', { name: 'Sign in' }).click()

    expect(await failure(page)).toMatchObject({ reason: 'The provider refused the sign-in.', code: 'login_required', session: null, exchanges: 0 })
  })

  /**
   * Lets the provider send the browser back, but holds the callback page before its script runs (a network in the
   * middle could change the answer there); resolves the answer as it came.
   */
  async function heldCallback(page: Page): Promise<URL> {
    const { example } = suite
    await page.route((url) => url.origin === example.app && /^\/assets\/.+\.js$/.test(url.pathname), (route) => route.abort(), { times: 1 })
    await signInAtProvider(page, example)
    await page.waitForURL((url) => url.pathname === '/callback' && url.searchParams.has('code'))
    return new URL(page.url())
  }

  it.each([
    ['a tampered state', (url: URL) => url.searchParams.set('state', `${url.searchParams.get('state')}x`)],
    ['another issuer (an RFC 9207 mix-up)', (url: URL) => url.searchParams.set('iss', 'http://127.0.0.1:1')],
  ])('a callback with %s is refused before any code exchange, and the page says so', async (_, tamper) => {
    const { example, browser } = suite
    const page = await browser.context.newPage()
    const { problems } = consoleProblems(page)
    await leaveForProvider(page)
    const answer = await heldCallback(page)
    tamper(answer)
    await page.goto(answer.href)

    expect(await failure(page)).toEqual({
      reason: expect.stringContaining('does not belong to the sign-in this tab started'),
      code: 'invalid_response',
      url: `${example.app}/callback`,
      session: null,
      exchanges: 0,
    })
    await page.getByText('The authorization response was refused:').waitFor()
    expect(problems).toEqual([])
  })
})
