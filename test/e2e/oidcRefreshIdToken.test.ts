// What a refresh may not change, against node oidc-provider in Chromium: who the user is.
import { describe, expect, it } from 'vitest'
import { launchBrowser } from './browser'
import { callApi, offline, oidcSuite, signIn, storedSession } from './oidcExample'

const claimsOf = (jwt: string | undefined) => JSON.parse(Buffer.from(jwt?.split('.')[1] ?? '', 'base64url').toString()) as { sub?: string }

describe('the redirect login, refreshed', () => {
  const suite = oidcSuite()

  // OpenID Connect Core 1.0 §12.2: an ID token in a refresh answer must have the same `iss`, `sub` and `aud` as the
  // one the login checked; one that does not is refused, and the session stays the user's.
  it('a refresh answer carrying another user’s ID token does not make that person the user', async () => {
    const { example, browser } = suite
    // Mallory's ID token, as the provider issued it to her in another browser.
    const other = await launchBrowser()
    await offline(other.context)
    const malloryPage = await other.context.newPage()
    await signIn(malloryPage, example, 'mallory')
    const malloryIdToken = (await storedSession(malloryPage))?.idToken
    await other.close()
    expect(claimsOf(malloryIdToken).sub).toBe('mallory')

    const page = await browser.context.newPage()
    await signIn(page, example, 'alice')
    // The token endpoint's refresh answer, with Mallory's ID token put in.
    await page.route(`${example.issuer}/token`, async (route) => {
      const grant = new URLSearchParams(route.request().postData() ?? '').get('grant_type')
      const response = await route.fetch()
      if (grant !== 'refresh_token' || response.status() !== 200) return route.fulfill({ response })
      await route.fulfill({ response, json: { ...(await response.json()), id_token: malloryIdToken } })
    })
    await example.advance(example.accessTokenTtl + 1)
    expect(await callApi(page)).toBe('Call 1: the API answered for alice')

    expect(claimsOf((await storedSession(page))?.idToken).sub).toBe('alice')
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Account of Alice')
  })
})
