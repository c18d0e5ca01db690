import { AuthProvider } from '@tokenrail/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createBrowserRouter, RouterProvider } from 'react-router'
import { CALLBACK_PATH, createClient, ISSUER } from './auth'
import { finishSignIn } from './callback'
import { routes } from './routes'
import './style.css'

const root = createRoot(document.getElementById('root')!)
try {
  const auth = await createClient()
  // Before React renders, and once: this also takes the code and state out of the address bar.
  const callback = location.pathname === CALLBACK_PATH ? finishSignIn(auth) : undefined
  root.render(
    <StrictMode>
      <AuthProvider client={auth}>
        <RouterProvider router={createBrowserRouter(routes(callback))} />
      </AuthProvider>
    </StrictMode>,
  )
} catch (error) {
  root.render(
    <main>
      <h1>tokenrail + OpenID Connect</h1>
      <p role="alert">
        The provider at {ISSUER} cannot be reached ({(error as Error).message}). Start it with <code>npm start -w examples/oidc</code>.
      </p>
    </main>,
  )
}
