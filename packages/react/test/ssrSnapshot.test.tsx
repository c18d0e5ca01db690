// @vitest-environment node
import { renderToString } from 'react-dom/server'
import { describe, expect, it } from 'vitest'
import {
  AuthProvider,
  getAuthSnapshot,
  RequireAuth,
  useAccessToken,
  useAuth,
  useAuthState,
  useUser,
  type AuthClient,
  type AuthSnapshot,
} from '../src/index'
import { credentials, useMockAuthServer } from './mockAuthServer'

const { mock, createClient, loggedInClient } = useMockAuthServer()

function Page() {
  const { status, isLoading, error, isLoggingIn } = useAuth()
  const token = useAuthState((state) => state.accessToken)
  const user = useUser<{ name: string }>()
  useAccessToken()
  return (
    <main>
      <p>{`status:${status} loading:${isLoading} token:${token} error:${error?.code} loggingIn:${isLoggingIn}`}</p>
      <RequireAuth fallback={<p>Please sign in</p>} loading={<p>Checking your session…</p>}>
        <p>{`Secret page for ${user?.name}`}</p>
      </RequireAuth>
    </main>
  )
}

const renderPage = (auth: AuthClient, snapshot?: AuthSnapshot) =>
  renderToString(
    <AuthProvider client={auth} snapshot={snapshot}>
      <Page />
    </AuthProvider>,
  )

/** Tokens as a server would get them from a readable cookie or its own session: a login made elsewhere. */
async function tokensFromElsewhere() {
  const browser = await loggedInClient()
  const { accessToken } = browser.getState()
  browser.destroy()
  return { accessToken: accessToken! }
}

describe('server rendering with a session', () => {
  it('a server client given tokens renders the user page through its snapshot, with no token in the HTML', async () => {
    const tokens = await tokensFromElsewhere()
    const server = createClient()
    server.setTokens(tokens)
    const snapshot = getAuthSnapshot(server)

    const html = renderPage(server, snapshot)

    expect(html).toContain('status:authenticated loading:false token:null error:undefined loggingIn:false')
    expect(html).toContain('Secret page for Demo User')
    expect(html).not.toContain(tokens.accessToken)
    expect(html).not.toContain('Checking your session')
  })

  it('the snapshot is plain data: status, user and expiry, never a token', async () => {
    const server = createClient()
    server.setTokens(await tokensFromElsewhere())
    const { accessToken, expiresAt, user } = server.getState()

    const snapshot = getAuthSnapshot(server)

    expect(Object.keys(snapshot).sort()).toEqual(['expiresAt', 'status', 'user'])
    expect(snapshot).toEqual({ status: 'authenticated', user, expiresAt })
    expect(JSON.parse(JSON.stringify(snapshot))).toEqual(snapshot)
    expect(JSON.stringify(snapshot)).not.toContain(accessToken)
  })

  it('a logged-out snapshot renders the fallback, and no snapshot still renders loading', async () => {
    const server = createClient()
    expect(renderPage(server, getAuthSnapshot(server))).toContain('Please sign in')
    const loggedIn = await loggedInClient()
    expect(renderPage(loggedIn)).toContain('Checking your session…')
    expect(renderPage(loggedIn)).not.toContain('Secret page')
  })

  it('a whole AuthState passed as the snapshot by mistake still renders no token', async () => {
    const server = await loggedInClient()
    const state = server.getState()

    const html = renderPage(server, state)

    expect(html).toContain('status:authenticated')
    expect(html).toContain('token:null')
    expect(html).not.toContain(state.accessToken!)
  })

  it('renders what the snapshot says, not what the server client holds, so every request renders its own user', async () => {
    // One client for every request (a module-level client on the server) that some code logged in.
    const shared = createClient()
    await shared.login(credentials)
    const someoneElse: AuthSnapshot<{ name: string }> = { status: 'authenticated', user: { name: 'Ada' }, expiresAt: null }

    expect(renderPage(shared, someoneElse)).toContain('Secret page for Ada')
    expect(renderPage(shared, getAuthSnapshot(createClient()))).toContain('Please sign in')
    expect(mock.stats.logins).toBe(1)
  })
})
