import { AuthProvider } from '@tokenrail/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { noteClientEvents } from './clientNotes'
import { DemoContext, type Demo } from './demoContext'
import { createDemoClient, readDemoOptions } from './demoOptions'
import { startMockBackend } from './mockServer'
import { createTimeline } from './createTimeline'
import './styles.css'

const asked = readDemoOptions(location.search)

// The mock backend starts first, the client after: a client may call the server the moment it exists (a
// cookie-mode session restore), and a request sent before the service worker listens would reach no server.
void startMockBackend(asked).then((backend) => {
  // msw in a page cannot keep an HttpOnly cookie, so under it the page runs in body mode and says why.
  const cookieUnderMsw = backend.kind === 'worker' && asked.refreshToken === 'cookie'
  const options = cookieUnderMsw ? { ...asked, refreshToken: 'storage' as const } : asked
  const timeline = createTimeline()
  const client = createDemoClient(options, timeline.transport)
  noteClientEvents(timeline, client)
  window.tokenrail = { client, backend }
  const demo: Demo = {
    backend,
    options,
    timeline,
    notice: cookieUnderMsw
      ? 'Cookie mode needs real HttpOnly cookies, which msw in a page cannot set: this page runs in body mode. For cookie mode: npm run serve -- --refresh-token cookie'
      : undefined,
  }

  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <AuthProvider client={client}>
        <DemoContext.Provider value={demo}>
          <App />
        </DemoContext.Provider>
      </AuthProvider>
    </StrictMode>,
  )
})
