// @vitest-environment node
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import { AuthProvider, RequireAuth, useAuth, useAuthState, useUser, type AuthClient } from '../src/index'
import { useMockAuthServer } from './mockAuthServer'

const { createClient, loggedInClient } = useMockAuthServer()

function Page() {
  const { status, isLoading } = useAuth()
  const token = useAuthState((state) => state.accessToken)
  const user = useUser()
  return (
    <main>
      <p>{`status:${status} loading:${isLoading} token:${token} user:${user?.sub}`}</p>
      <RequireAuth fallback={<p>Please sign in</p>} loading={<p>Checking your session…</p>}>
        <p>Secret page for {String(user?.name)}</p>
      </RequireAuth>
    </main>
  )
}

const renderPage = (auth: AuthClient) =>
  renderToString(
    <AuthProvider client={auth}>
      <Page />
    </AuthProvider>,
  )

describe('server rendering', () => {
  it('runs with no window and no document', () => {
    expect(typeof window).toBe('undefined')
    expect(typeof document).toBe('undefined')
  })

  it('renders the loading tree for a logged-in client, with neither its token nor its user in the HTML', async () => {
    const auth = await loggedInClient()
    const { accessToken, user } = auth.getState()
    expect(accessToken).toBeTypeOf('string')

    const html = renderPage(auth)

    expect(html).toContain('status:loading loading:true token:null user:undefined')
    expect(html).toContain('Checking your session…')
    expect(html).not.toContain('Secret page')
    expect(html).not.toContain(accessToken)
    expect(html).not.toContain(user?.name)
  })

  it('renders the same HTML for a logged-out client, so the browser can hydrate either', async () => {
    const loggedOut = createClient()
    const loggedIn = await loggedInClient()
    expect(loggedOut.getState().status).toBe('unauthenticated')

    expect(renderPage(loggedOut)).toBe(renderPage(loggedIn))
  })
})
