// tokenrail from Node with axios: log in, call the protected demo API through an axios instance, let the access
// token expire on the server, call again (the interceptor gets the 401, the client refreshes, axios retries),
// and show that `skipAuth` requests go out without the token. Log out.
// Usage: npm start [-- <URL of a running tokenrail-mock-server>]
import { createAuthClient } from '@tokenrail/core'
import { attachAxios } from '@tokenrail/core/axios'
import axios from 'axios'
import { mockServer } from './mockServer.js'

// The mock server's demo user.
const DEMO = { username: 'demo', password: 'demo-password' }

interface Todo {
  id: string
  title: string
  done: boolean
}

const server = await mockServer(process.argv[2])
const auth = createAuthClient({ baseURL: server.url })
const api = axios.create({ baseURL: server.url })
const detach = attachAxios(auth, api)
let refreshes = 0
auth.on('refresh', () => {
  refreshes++
  console.log('  the client refreshed its tokens (401 → refresh → retry)')
})

try {
  const { user } = await auth.login(DEMO)
  console.log(`logged in as ${String(user?.name)} (sub ${String(user?.sub)})`)

  const created = await api.post<Todo>('/api/todos', { title: 'Call an API through axios with tokenrail' })
  console.log(`POST /api/todos → ${created.status} ${JSON.stringify(created.data)}`)

  if (server.control) {
    // Only a server started with --control lets a client move its clock.
    await api.post('/__mock/clock/advance', { seconds: 301 }, { skipAuth: true })
    console.log('server clock +301 s: the access token has expired')
  }
  const listed = await api.get<Todo[]>('/api/todos')
  console.log(`GET /api/todos → ${listed.status}, ${listed.data.length} todo(s)`)
  if (server.control && refreshes !== 1) throw new Error(`expected one refresh after the expiry, saw ${refreshes}`)

  // skipAuth: no Authorization header, no refresh, no retry; the API refuses the request.
  const anonymous = await api.get('/api/todos', { skipAuth: true, validateStatus: () => true })
  console.log(`GET /api/todos with skipAuth → ${anonymous.status}`)
  if (anonymous.status !== 401) throw new Error(`expected 401 without a token, got ${anonymous.status}`)

  await auth.logout()
  console.log(`logged out; access token now: ${String(await auth.getAccessToken())}`)
} catch (error) {
  console.error(`failed: ${error instanceof Error ? error.message : String(error)}`)
  process.exitCode = 1
} finally {
  detach()
  auth.destroy()
  server.stop()
}
