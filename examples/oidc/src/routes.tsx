import { isLoginError, isNetworkError, RequireAuth, useAuth, useAuthClient, useAuthState, useUser } from '@tokenrail/react'
import { useEffect, useRef, useState } from 'react'
import { Link, Navigate, Outlet, useLocation, useNavigate, type RouteObject } from 'react-router'
import { API, CALLBACK_PATH, signIn } from './auth'
import type { CallbackOutcome } from './callback'

/** `callback`: how this page load's return from the provider ended, when the page is the callback. */
export const routes = (callback?: Promise<CallbackOutcome>): RouteObject[] => [
  {
    element: <Layout />,
    children: [
      { path: '/', element: <Home /> },
      { path: CALLBACK_PATH, element: <Callback outcome={callback} /> },
      { element: <Protected />, children: [{ path: '/account', element: <Account /> }] },
    ],
  },
]

function Layout() {
  const { isAuthenticated, logout } = useAuth()
  const user = useUser()
  return (
    <>
      <header>
        <Link to="/">tokenrail + OpenID Connect</Link>
        <nav>
          <Link to="/account">Account</Link>
        </nav>
        {isAuthenticated && (
          <span>
            {user?.name}{' '}
            {/* Revokes the refresh token at the provider (RFC 7009), then every tab is signed out. */}
            <button onClick={() => void logout()}>Sign out</button>
          </span>
        )}
      </header>
      <main>
        <Outlet />
      </main>
    </>
  )
}

function Home() {
  const auth = useAuthClient()
  const { isAuthenticated, isLoading } = useAuth()
  const user = useUser()
  if (isLoading) return <p>Checking your session…</p>
  if (isAuthenticated) {
    return (
      <section>
        <h1>Home</h1>
        <p>Signed in as {user?.name}.</p>
        <p>
          <Link to="/account">Your account</Link> calls the API with your access token.
        </p>
      </section>
    )
  }
  return (
    <section>
      <h1>Signed out</h1>
      <p>The provider's own pages sign you in (any login, any password) and ask for your consent, then bring you back.</p>
      <button onClick={() => void signIn(auth, '/account')}>Sign in</button>
    </section>
  )
}

/**
 * Whether the session here ended by a logout (this tab's or another tab's): such a user goes home. Anyone else
 * who is not signed in (a first visit, a session the provider ended) is sent to sign in, and comes back.
 */
function useLoggedOut() {
  const auth = useAuthClient()
  const loggedOut = useRef(false)
  useEffect(() => {
    const off = [auth.on('logout', () => void (loggedOut.current = true)), auth.on('login', () => void (loggedOut.current = false))]
    return () => off.forEach((stop) => stop())
  }, [auth])
  return loggedOut
}

/** The protected part of the app: RequireAuth starts the redirect login, with the way back in `appState`. */
function Protected() {
  const auth = useAuthClient()
  const navigate = useNavigate()
  const { pathname, search } = useLocation()
  const loggedOut = useLoggedOut()
  return (
    <RequireAuth
      loading={<p>Checking your session…</p>}
      fallback={<p>Taking you to the sign-in page…</p>}
      onUnauthenticated={() => (loggedOut.current ? void navigate('/', { replace: true }) : void signIn(auth, pathname + search, { replace: true }))}
    >
      <Outlet />
    </RequireAuth>
  )
}

function Account() {
  const user = useUser()
  const client = useAuthClient()
  const expiresAt = useAuthState((state) => state.expiresAt)
  const [answer, setAnswer] = useState('')
  const calls = useRef(0)

  async function callApi() {
    const call = ++calls.current
    try {
      // The Bearer header goes to the API only; a 401 refreshes once (one refresh across tabs) and retries.
      const response = await client.fetch(`${API}/api/me`)
      const body = (await response.json()) as { sub?: string }
      setAnswer(response.ok ? `Call ${call}: the API answered for ${body.sub}` : `Call ${call}: the API refused (${response.status})`)
    } catch (error) {
      setAnswer(`Call ${call} failed: ${(error as Error).message}`)
    }
  }

  return (
    <section>
      <h1>Account of {user?.name}</h1>
      <p>
        From the ID token: <code>sub</code> {user?.sub}, <code>name</code> {user?.name}.
      </p>
      {expiresAt !== null && (
        <p>
          The access token is good until <time>{new Date(expiresAt).toLocaleTimeString()}</time>; it is refreshed before
          then, or when the API answers 401.
        </p>
      )}
      <button onClick={() => void callApi()}>Call the API</button>
      <p>
        <output aria-label="API answer">{answer}</output>
      </p>
    </section>
  )
}

function Callback({ outcome }: { outcome?: Promise<CallbackOutcome> }) {
  const navigate = useNavigate()
  const [error, setError] = useState<unknown>(null)
  useEffect(() => {
    // StrictMode runs this twice: the outcome is one promise from main.tsx, so that only reads it twice.
    let live = true
    void outcome?.then((result) => {
      if (!live) return
      if ('to' in result) void navigate(result.to, { replace: true })
      else setError(result.error)
    })
    return () => void (live = false)
  }, [outcome, navigate])
  // Reached by a link rather than a page load from the provider: nothing to finish.
  if (!outcome) return <Navigate to="/" replace />
  return error ? <SignInFailed error={error} /> : <p>Signing you in…</p>
}

const REASONS: Record<string, string> = {
  access_denied: 'The sign-in was cancelled or refused at the provider.',
  invalid_response:
    'The answer that came back does not belong to the sign-in this tab started (its state, its issuer or its ID token did not match), so it was refused and no code was exchanged.',
  no_login_in_progress: 'No sign-in is under way in this tab: this page was opened again, or the sign-in began in another tab.',
}

function SignInFailed({ error }: { error: unknown }) {
  const auth = useAuthClient()
  const code = isLoginError(error) ? error.error : undefined
  const reason = (code && REASONS[code]) ?? (isNetworkError(error) ? 'The provider cannot be reached.' : 'The provider refused the sign-in.')
  return (
    <section>
      <h1>Sign-in failed</h1>
      <p role="alert">{reason}</p>
      <p>
        {code && <code>{code}</code>} {(error as Error).message}
      </p>
      <button onClick={() => void signIn(auth, '/account')}>Try again</button> <Link to="/">Home</Link>
    </section>
  )
}
