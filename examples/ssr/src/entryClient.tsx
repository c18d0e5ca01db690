// The browser: the same tree the server rendered, hydrated from the same snapshot; then the browser's client
// (tokens in a cookie the server can read too) takes over, refreshing as usual.
import { StrictMode } from 'react'
import { hydrateRoot } from 'react-dom/client'
import { AuthProvider, cookieStorage, createAuthClient } from '@tokenrail/react'
import { App } from './App'
import { PAGE_DATA, type PageData, type User } from './pageData'

declare global {
  interface Window {
    [PAGE_DATA]: PageData
  }
}

const auth = createAuthClient<User>({
  baseURL: '/',
  // Readable by the server, so it can render the user's page: under a name the server knows (the default is
  // the client's own key, tokenrail:<auth server>, cut to a cookie name). `Secure` wherever the page is on https.
  storage: cookieStorage({ name: 'tokenrail', secure: location.protocol === 'https:' }),
})

const { snapshot, todos } = window[PAGE_DATA]
hydrateRoot(
  document.getElementById('root')!,
  <StrictMode>
    <AuthProvider client={auth} snapshot={snapshot}>
      <App todos={todos} />
    </AuthProvider>
  </StrictMode>,
)
