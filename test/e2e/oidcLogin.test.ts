// examples/oidc in Chromium against node oidc-provider: the redirect login through the provider's own login and
// consent pages, the API called with the access token, expiry and one refresh with rotation, logout revoked at the
// provider, and a callback URL used twice. Time moves on the provider's and the API's clock; nothing sleeps.
import { describe, expect, it } from 'vitest'
import {
  accountPage,
  callApi,
  consoleProblems,
  oidcSuite,
  signIn,
  signInAtProvider,
  storedSession,
} from './oidcExample'

const unauthorized = 'Failed to load resource: the server responded with a status of 401 (Unauthorized)'

describe('the redirect login against oidc-provider, in Chromium', () => {
  const suite = oidcSuite()

  it('a protected page sends the user to the provider, whose login and consent pages bring them back to it, signed in with the ID token’s name', async () => {
    const { example, browser } = suite
    const page = await browser.context.newPage()
    const { problems } = consoleProblems(page)
    const authorize = page.waitForRequest((request) => request.url().startsWith(`${example.issuer}/auth?`))

    const callback = await signIn(page, example)

    // What left for the provider: authorization code + PKCE (S256), a state, a nonce, the API as the resource.
    const params = new URL((await authorize).url()).searchParams
    expect(Object.fromEntries(params)).toMatchObject({
      client_id: 'spa',
      response_type: 'code',
      redirect_uri: `${example.app}/callback`,
      scope: 'openid offline_access',
      prompt: 'consent',
      code_challenge_method: 'S256',
      resource: example.api,
    })
    expect(params.get('state')).toMatch(/^[\w-]{32,}$/)
    expect(params.get('nonce')).toMatch(/^[\w-]{32,}$/)
    // What came back: the code, the same state, and the provider's issuer (RFC 9207).
    expect(callback.searchParams.get('code')).toBeTruthy()
    expect(callback.searchParams.get('state')).toBe(params.get('state'))
    expect(callback.searchParams.get('iss')).toBe(example.issuer)

    // Back where the login started, the code out of the address bar, the name from the ID token.
    expect(page.url()).toBe(`${example.app}/account`)
    await page.getByText('From the ID token: sub alice, name Alice.').waitFor()
    expect(await callApi(page)).toBe('Call 1: the API answered for alice')
    // One code exchange, although StrictMode ran the callback page's effects twice.
    expect(await suite.counted()).toMatchObject({ codeExchanges: 1, apiOk: 1, apiRefused: 0, refreshes: 0 })
    // The round trip's state, nonce and verifier are gone from sessionStorage.
    expect(await page.evaluate(() => Object.keys(sessionStorage))).toEqual([])
    expect(problems).toEqual([])
  })

  it('an access token expired on the servers is refreshed once, transparently, and the refresh token rotates', async () => {
    const { example, browser } = suite
    const page = await browser.context.newPage()
    const { problems, failedLoads } = consoleProblems(page)
    await signIn(page, example)
    const first = await storedSession(page)
    expect(first?.refreshToken).toBeTruthy()

    await example.advance(example.accessTokenTtl + 1)
    expect(await callApi(page)).toBe('Call 1: the API answered for alice')

    // The API refused the old token once; one refresh; the retry was accepted.
    expect(await suite.counted()).toMatchObject({ codeExchanges: 1, apiRefused: 1, refreshes: 1, refreshesRefused: 0, apiOk: 1, grantsRevoked: 0 })
    const second = await storedSession(page)
    expect(second?.accessToken).not.toBe(first?.accessToken)
    expect(second?.refreshToken).not.toBe(first?.refreshToken)
    // The refresh kept the ID token's user: the page still says who is signed in.
    await accountPage(page).waitFor()
    // The spent refresh token is refused by the provider itself: it was rotated, not kept.
    expect(await example.refreshAtProvider(first!.refreshToken!)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
    expect(problems).toEqual([])
    expect(failedLoads).toEqual([unauthorized])
  })

  it('sign out revokes the refresh token at the provider (RFC 7009): the provider itself refuses it afterwards', async () => {
    const { example, browser } = suite
    const page = await browser.context.newPage()
    const { problems } = consoleProblems(page)
    await signIn(page, example)
    const session = await storedSession(page)

    await page.getByRole('button', { name: 'Sign out' }).click()

    // The logout leads home, not straight back to the provider's login.
    await page.getByRole('heading', { name: 'Signed out' }).waitFor()
    expect(new URL(page.url()).pathname).toBe('/')
    await expect.poll(() => suite.counted().then(({ revocations }) => revocations)).toBe(1)
    expect(await storedSession(page)).toBeNull()
    expect(await example.refreshAtProvider(session!.refreshToken!)).toMatchObject({ status: 400, body: { error: 'invalid_grant' } })
    expect(problems).toEqual([])
  })

  it('the callback URL opened again (a reload of it, a step back onto it) exchanges nothing and keeps the session', async () => {
    const { example, browser } = suite
    const page = await browser.context.newPage()
    const { problems } = consoleProblems(page)
    const callback = await signIn(page, example)
    const session = await storedSession(page)

    // The very URL the provider sent, code and state and all: its round trip is spent, nothing is exchanged.
    await page.goto(callback.href)
    await page.getByText('Signed in as Alice.').waitFor()
    expect(new URL(page.url()).pathname).toBe('/')

    // Back through the history (to the page the login returned to, then the provider's) and forward again.
    await page.goBack()
    await accountPage(page).waitFor()
    await page.goBack()
    await page.waitForURL((url) => url.origin === example.issuer)
    await page.goForward()
    await accountPage(page).waitFor()

    expect(await suite.counted()).toMatchObject({ codeExchanges: 1, refreshes: 0 })
    expect(await storedSession(page)).toEqual(session)
    expect(await callApi(page)).toBe('Call 1: the API answered for alice')
    expect(problems).toEqual([])
  })

  it('Back on the provider’s login page, where a protected page sent the user, returns to the page before it instead of bouncing', async () => {
    const { example, browser } = suite
    const page = await browser.context.newPage()
    await page.goto(example.app)
    await page.getByRole('heading', { name: 'Signed out' }).waitFor()
    await page.getByRole('link', { name: 'Account' }).click()
    await page.waitForURL((url) => url.origin === example.issuer)

    await page.goBack()

    await page.getByRole('heading', { name: 'Signed out' }).waitFor()
    expect(page.url()).toBe(`${example.app}/`)
    expect(await suite.counted()).toMatchObject({ codeExchanges: 0 })
  })

  it('the home page’s Sign in comes back to the account page, signed in as whoever signed in at the provider', async () => {
    const { example, browser } = suite
    const page = await browser.context.newPage()
    await page.goto(example.app)
    await page.getByRole('button', { name: 'Sign in' }).click()
    await signInAtProvider(page, example, 'bob')
    await accountPage(page, 'bob').waitFor()
    expect(await callApi(page)).toBe('Call 1: the API answered for bob')
  })
})
