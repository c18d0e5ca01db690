// @vitest-environment happy-dom
import { act, cleanup } from '@testing-library/react'
import { hydrateRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { AuthProvider, getAuthSnapshot, type AuthClient, type AuthSnapshot, type TokenSet, type TokenStorage } from '../src/index'
import { LoginFlow } from './LoginFlow'
import { API, useMockAuthServer } from './mockAuthServer'

const { createClient, loggedInClient } = useMockAuthServer()
let root: Root | undefined
afterEach(() => {
  act(() => root?.unmount())
  root = undefined
  document.body.innerHTML = ''
  cleanup()
})

const app = (auth: AuthClient, snapshot?: AuthSnapshot) => (
  <AuthProvider client={auth} snapshot={snapshot}>
    <LoginFlow />
  </AuthProvider>
)

/** Puts server HTML in the page and hydrates it; what React reported as a mismatch, and the console errors. */
async function hydrate(html: string, browser: AuthClient, snapshot?: AuthSnapshot) {
  const container = document.createElement('div')
  container.innerHTML = html
  document.body.append(container)
  const onRecoverableError = vi.fn()
  const consoleError = vi.spyOn(console, 'error')
  await act(async () => {
    root = hydrateRoot(container, app(browser, snapshot), { onRecoverableError })
  })
  const reported = { recoverable: onRecoverableError.mock.calls.length, console: consoleError.mock.calls.length }
  consoleError.mockRestore()
  return { container, reported }
}

/** A browser storage whose read answers when the test says: the browser client stays `loading` until then. */
function slowStorage() {
  let answer!: (tokens: TokenSet | null) => void
  const read = new Promise<TokenSet | null>((resolve) => (answer = resolve))
  const storage: TokenStorage = { get: () => read, set: () => undefined, clear: () => undefined }
  return { storage, answer: (tokens: TokenSet | null) => act(async () => answer(tokens)) }
}

it('hydrates server HTML without a mismatch when the browser has a session the server did not know', async () => {
  // The server's client knows nobody; the browser's client found a session in its storage.
  const html = renderToString(app(createClient()))
  const browser = await loggedInClient()
  const container = document.createElement('div')
  container.innerHTML = html
  document.body.append(container)
  expect(container.textContent).toBe('Loading…')
  const onRecoverableError = vi.fn()

  await act(async () => {
    root = hydrateRoot(container, app(browser), { onRecoverableError })
  })

  expect(onRecoverableError).not.toHaveBeenCalled()
  expect(container.textContent).toContain('Signed in as Demo User')
})

describe('hydration from a server snapshot', () => {
  it('starts from the server user page without a mismatch, keeps it while the browser client loads, then follows the client', async () => {
    // The server knows the session (tokens from a cookie): its snapshot goes into the HTML beside the page.
    const session = await loggedInClient()
    const tokens = { accessToken: session.getState().accessToken!, refreshToken: 'unused-here' }
    const server = createClient()
    server.setTokens({ accessToken: tokens.accessToken })
    const snapshot = JSON.parse(JSON.stringify(getAuthSnapshot(server))) as AuthSnapshot
    const html = renderToString(app(server, snapshot))
    expect(html).toContain('Demo User')
    expect(html).not.toContain(tokens.accessToken)

    const { storage, answer } = slowStorage()
    const browser = createClient({ storage })
    expect(browser.getState().status).toBe('loading')
    const { container, reported } = await hydrate(html, browser, snapshot)

    expect(reported).toEqual({ recoverable: 0, console: 0 })
    expect(container.textContent).toContain('Signed in as Demo User')

    // The browser's own session arrives: its state takes over (same user, this client's token).
    await answer({ accessToken: tokens.accessToken, server: `${API}/` } as TokenSet)
    expect(browser.getState().status).toBe('authenticated')
    expect(container.textContent).toContain('Signed in as Demo User')
    expect(container.querySelector('[data-testid="token-id"]')?.textContent).toBe(browser.getState().user?.jti)
  })

  it('turns into the login form when the browser client finds no session after all', async () => {
    const server = await loggedInClient()
    const snapshot = getAuthSnapshot(server)
    const html = renderToString(app(server, snapshot))
    const { storage, answer } = slowStorage()
    const browser = createClient({ storage })

    const { container, reported } = await hydrate(html, browser, snapshot)
    expect(reported).toEqual({ recoverable: 0, console: 0 })
    expect(container.textContent).toContain('Signed in as Demo User')

    await answer(null)

    expect(container.querySelector('form[aria-label="Sign in"]')).not.toBeNull()
    expect(container.textContent).not.toContain('Signed in as')
  })

  it('a snapshot of nobody hydrates the login form, which a settled browser session then replaces', async () => {
    const server = createClient()
    const snapshot = getAuthSnapshot(server)
    const html = renderToString(app(server, snapshot))
    expect(html).toContain('Sign in')
    const browser = await loggedInClient()

    const { container, reported } = await hydrate(html, browser, snapshot)

    expect(reported).toEqual({ recoverable: 0, console: 0 })
    expect(container.textContent).toContain('Signed in as Demo User')
  })
})
