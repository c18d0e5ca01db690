import { AuthProvider } from '@tokenrail/react'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { App } from './App'
import { createDemoClient, readDemoOptions } from './demoOptions'
import { startMockBackend } from './mockServer'
import './styles.css'

// The mock backend starts first: in the service-worker build, the client's first request (a cookie-mode
// session restore) must already find the worker listening.
void startMockBackend().then((backend) => {
  const options = readDemoOptions(location.search)
  const client = createDemoClient(options)
  window.tokenrail = { client, backend }

  createRoot(document.getElementById('root')!).render(
    <StrictMode>
      <AuthProvider client={client}>
        <App backend={backend} options={options} />
      </AuthProvider>
    </StrictMode>,
  )
})
