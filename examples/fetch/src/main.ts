// tokenrail from Node with `auth.fetch`: log in, call the protected demo API, let the access token expire on
// the server, call again (the client gets a 401, refreshes and retries by itself), log out.
// Usage: npm start [-- <URL of a running tokenrail-mock-server>]
import { createAuthClient } from '@tokenrail/core'
import { mockServer } from './mockServer.js'

// The mock server's demo user.
const DEMO = { username: 'demo', password: 'demo-password' }

const server = await mockServer(process.argv[2])
const auth = createAuthClient({ baseURL: server.url })
let refreshes = 0
auth.on('refresh', () => {
  refreshes++
  console.log('  the client refreshed its tokens (401 → refresh → retry)')
})

/** The demo API through `auth.fetch`: the Bearer header, the refresh and the retry are the client's business. */
async function todos(method: 'GET' | 'POST', body?: { title: string }): Promise<unknown> {
  const init: RequestInit = body ? { method, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) } : { method }
  const response = await auth.fetch(`${server.url}/api/todos`, init)
  console.log(`${method} /api/todos → ${response.status}`)
  if (!response.ok) throw new Error(`${method} /api/todos answered ${response.status}`)
  return response.json()
}

/** Moves the server's clock past the access token's lifetime (only a server started with --control allows it). */
async function expireAccessToken(): Promise<void> {
  const response = await fetch(`${server.url}/__mock/clock/advance`, { method: 'POST', body: JSON.stringify({ seconds: 301 }) })
  if (!response.ok) throw new Error(`POST /__mock/clock/advance answered ${response.status}`)
  console.log('server clock +301 s: the access token has expired')
}

try {
  const { user } = await auth.login(DEMO)
  console.log(`logged in as ${String(user?.name)} (sub ${String(user?.sub)})`)
  await todos('POST', { title: 'Call an API from Node with tokenrail' })
  if (server.control) await expireAccessToken()
  else console.log('(start the server with --control to see the token expire and refresh)')
  console.log(`todos: ${JSON.stringify(await todos('GET'))}`)
  if (server.control && refreshes !== 1) throw new Error(`expected one refresh after the expiry, saw ${refreshes}`)
  await auth.logout()
  console.log(`logged out; access token now: ${String(await auth.getAccessToken())}`)
} catch (error) {
  console.error(`failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
} finally {
  auth.destroy()
  server.stop()
}
