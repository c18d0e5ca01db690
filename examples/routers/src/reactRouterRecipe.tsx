import { RequireAuth } from '@tokenrail/react'
import { Outlet, useLocation, useNavigate, useSearchParams, type RouteObject } from 'react-router'
import { Home, LoginForm, Settings } from './pages'
import { returnTo } from './returnTo'

/** The protected part of the tree: whoever is logged out goes to /login, which sends them back afterwards. */
function Protected() {
  const navigate = useNavigate()
  const { pathname, search } = useLocation()
  return (
    <RequireAuth
      loading={<p>Checking your session…</p>}
      onUnauthenticated={() => navigate(`/login?returnTo=${encodeURIComponent(pathname + search)}`, { replace: true })}
    >
      <Outlet />
    </RequireAuth>
  )
}

function Login() {
  const navigate = useNavigate()
  const [params] = useSearchParams()
  return <LoginForm onLoggedIn={() => navigate(returnTo(params.get('returnTo')), { replace: true })} />
}

export const routes: RouteObject[] = [
  { path: '/login', element: <Login /> },
  {
    element: <Protected />,
    children: [
      { path: '/', element: <Home /> },
      { path: '/settings', element: <Settings /> },
    ],
  },
]
