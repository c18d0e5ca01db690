// @vitest-environment happy-dom
// The two router recipes of the React README, as an app mounts them, against the mock auth server.
import { createMemoryHistory, RouterProvider as TanStackRouterProvider } from '@tanstack/react-router'
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react'
import { StrictMode } from 'react'
import { createMemoryRouter, RouterProvider } from 'react-router'
import { afterEach, describe, expect, it } from 'vitest'
import { AuthProvider, type AuthClient, type TokenStorage } from '@tokenrail/react'
import { credentials, TODOS, useMockAuthServer } from '../../../packages/react/test/mockAuthServer'
import { routes } from '../src/reactRouterRecipe'
import { createAppRouter } from '../src/tanstackRouterRecipe'

const { mock, createClient, loggedInClient } = useMockAuthServer()
afterEach(cleanup)

interface Mounted {
  /** The current path with its query, e.g. `/login?returnTo=%2Fsettings`. */
  location(): string
  /** How many times the app arrived at /login. */
  redirects(): number
}

/** Each router mounted at `path` under one AuthProvider, in StrictMode as a Vite app would. */
const routers: Record<string, (auth: AuthClient, path: string) => Mounted> = {
  'React Router 7': (auth, path) => {
    const router = createMemoryRouter(routes, { initialEntries: [path] })
    let redirects = 0
    router.subscribe((state) => void (state.location.pathname === '/login' && redirects++))
    mount(auth, <RouterProvider router={router} />)
    return { location: () => router.state.location.pathname + router.state.location.search, redirects: () => redirects }
  },
  'TanStack Router': (auth, path) => {
    const history = createMemoryHistory({ initialEntries: [path] })
    let redirects = 0
    history.subscribe(({ location }) => void (location.pathname === '/login' && redirects++))
    mount(auth, <TanStackRouterProvider router={createAppRouter(history)} />)
    return { location: () => history.location.pathname + history.location.search, redirects: () => redirects }
  },
}

function mount(auth: AuthClient, router: React.ReactNode) {
  render(
    <StrictMode>
      <AuthProvider client={auth}>{router}</AuthProvider>
    </StrictMode>,
  )
}

function signIn(password: string = credentials.password) {
  fireEvent.change(screen.getByLabelText('Username'), { target: { value: credentials.username } })
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } })
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
}

const decoded = (location: string) => decodeURIComponent(location)

/** A storage whose read answers when the test says, so the client stays `loading` until then. */
function slowStorage() {
  let answer!: () => void
  const read = new Promise<null>((resolve) => (answer = () => resolve(null)))
  const storage: TokenStorage = { get: () => read, set: () => undefined, clear: () => undefined }
  return { storage, answer: () => act(async () => answer()) }
}

describe.each(Object.keys(routers))('%s recipe', (name) => {
  const open = routers[name]!

  it('sends a logged-out visit to /login with the way back, once, and the login returns there', async () => {
    const app = open(createClient(), '/settings')

    await screen.findByRole('form', { name: 'Sign in' })
    expect(decoded(app.location())).toBe('/login?returnTo=/settings')
    expect(app.redirects()).toBe(1)

    signIn()

    expect((await screen.findByRole('heading')).textContent).toBe('Settings of Demo User')
    expect(app.location()).toBe('/settings')
    expect(app.redirects()).toBe(1)
  })

  it('stays on the page while the session is loading, and redirects only once it is known there is none', async () => {
    const { storage, answer } = slowStorage()
    const app = open(createClient({ storage }), '/settings')
    await screen.findByText('Checking your session…')
    expect(app.location()).toBe('/settings')
    expect(app.redirects()).toBe(0)

    await answer()

    await screen.findByRole('form', { name: 'Sign in' })
    expect(decoded(app.location())).toBe('/login?returnTo=/settings')
    expect(app.redirects()).toBe(1)
  })

  it('a logout on a protected page redirects once, with that page as the way back', async () => {
    const app = open(await loggedInClient(), '/settings')
    await screen.findByRole('heading', { name: 'Settings of Demo User' })

    fireEvent.click(screen.getByRole('button', { name: 'Log out' }))

    await screen.findByRole('form', { name: 'Sign in' })
    expect(decoded(app.location())).toBe('/login?returnTo=/settings')
    expect(app.redirects()).toBe(1)
    expect(mock.stats.revoked).toBe(1)
  })

  it('an expired session redirects and the login form says why', async () => {
    const auth = await loggedInClient()
    const app = open(auth, '/')
    await screen.findByRole('heading', { name: 'Home' })

    mock.clock.advance(86_400 + 1)
    await act(() => auth.fetch(TODOS).catch(() => undefined))

    expect((await screen.findByRole('alert')).textContent).toBe('Your session expired')
    expect(decoded(app.location())).toBe('/login?returnTo=/')
  })

  it('a refused login stays on the form; a way back to another site goes home instead', async () => {
    const app = open(createClient(), `/login?returnTo=${encodeURIComponent('//evil.example/phish')}`)
    await screen.findByRole('form', { name: 'Sign in' })

    signIn('wrong')
    expect((await screen.findByRole('alert')).textContent).toBe('Wrong username or password')
    signIn()

    await screen.findByRole('heading', { name: 'Home' })
    await waitFor(() => expect(app.location()).toBe('/'))
  })
})
