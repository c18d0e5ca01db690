import { RequireAuth } from '@tokenrail/react'
import { createRootRoute, createRoute, createRouter, Outlet, useLocation, useNavigate, type RouterHistory } from '@tanstack/react-router'
import { Home, LoginForm, Settings } from './pages'
import { returnTo } from './returnTo'

/** The protected part of the tree: whoever is logged out goes to /login, which sends them back afterwards. */
function Protected() {
  const navigate = useNavigate()
  const href = useLocation({ select: (location) => location.href })
  return (
    <RequireAuth
      loading={<p>Checking your session…</p>}
      onUnauthenticated={() => void navigate({ to: '/login', search: { returnTo: href }, replace: true })}
    >
      <Outlet />
    </RequireAuth>
  )
}

function Login() {
  const navigate = useNavigate()
  const search = loginRoute.useSearch()
  return <LoginForm onLoggedIn={() => void navigate({ to: returnTo(search.returnTo), replace: true })} />
}

const rootRoute = createRootRoute({ component: Outlet })
const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/login',
  validateSearch: (search: Record<string, unknown>) => ({ returnTo: typeof search.returnTo === 'string' ? search.returnTo : undefined }),
  component: Login,
})
const protectedRoute = createRoute({ getParentRoute: () => rootRoute, id: 'protected', component: Protected })
const routeTree = rootRoute.addChildren([
  loginRoute,
  protectedRoute.addChildren([
    createRoute({ getParentRoute: () => protectedRoute, path: '/', component: Home }),
    createRoute({ getParentRoute: () => protectedRoute, path: '/settings', component: Settings }),
  ]),
])

/** The app's router; tests pass a memory history. */
export const createAppRouter = (history?: RouterHistory) => createRouter({ routeTree, history })

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>
  }
}
