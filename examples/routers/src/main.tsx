import { RouterProvider as TanStackRouterProvider } from '@tanstack/react-router'
import { AuthProvider, createAuthClient } from '@tokenrail/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createBrowserRouter, RouterProvider } from 'react-router'
import { routes } from './reactRouterRecipe'
import { createAppRouter } from './tanstackRouterRecipe'

// The page is served by tokenrail-mock-server, whose auth endpoints sit on the page's own origin.
const auth = createAuthClient({ baseURL: '/' })

// `vite build --mode react-router` or `--mode tanstack-router`: one app, two routers.
const router =
  import.meta.env.MODE === 'tanstack-router' ? (
    <TanStackRouterProvider router={createAppRouter()} />
  ) : (
    <RouterProvider router={createBrowserRouter(routes)} />
  )

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <AuthProvider client={auth}>{router}</AuthProvider>
  </StrictMode>,
)
