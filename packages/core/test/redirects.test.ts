import { attachAxios } from '@tokenrail/core/axios'
import axios, { AxiosError } from 'axios'
import { createServer, type RequestListener, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createAuthClient } from '../src'
import { unsignedJwt } from './unsignedJwt'

// Two real HTTP servers on 127.0.0.1, two origins: the app's API (allowed) and another host it may redirect
// to. Real fetch (undici) and axios' http adapter (follow-redirects) follow the redirects, as in production.
interface Seen {
  path: string
  authorization: string | undefined
}
let api: Server
let other: Server
const seen: Seen[] = []
let refreshes = 0
const origin = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`

function listen(handler: RequestListener): Promise<Server> {
  const server = createServer(handler)
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)))
}

const freshTokens = () => ({ accessToken: unsignedJwt({ sub: 'u1', n: Math.random() }), refreshToken: `r${Math.random()}`.slice(2) })

beforeAll(async () => {
  other = await listen((request, response) => {
    seen.push({ path: `other${request.url}`, authorization: request.headers.authorization })
    response.writeHead(401, { 'content-type': 'application/json' }).end('{"error":"invalid_token"}')
  })
  api = await listen((request, response) => {
    seen.push({ path: `api${request.url}`, authorization: request.headers.authorization })
    if (request.url === '/auth/refresh') {
      refreshes++
      return response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(freshTokens()))
    }
    if (request.url === '/to-other') return response.writeHead(307, { location: `${origin(other)}/x` }).end()
    if (request.url === '/to-same') return response.writeHead(307, { location: '/refused' }).end()
    // The API refuses the first token it sees on /refused, and accepts the next.
    if (request.url === '/refused' && seen.filter((entry) => entry.path === 'api/refused').length === 1) {
      return response.writeHead(401).end()
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}')
  })
})
afterAll(async () => {
  await new Promise((resolve) => api.close(resolve))
  await new Promise((resolve) => other.close(resolve))
})

function loggedInClient() {
  seen.length = 0
  refreshes = 0
  const auth = createAuthClient({ baseURL: origin(api) })
  auth.setTokens(freshTokens())
  return auth
}

const senders = {
  'auth.fetch': async (auth: ReturnType<typeof loggedInClient>, path: string) => (await auth.fetch(`${origin(api)}${path}`)).status,
  'attachAxios (http adapter)': async (auth: ReturnType<typeof loggedInClient>, path: string) => {
    const instance = axios.create({ baseURL: origin(api), adapter: 'http' })
    attachAxios(auth, instance)
    return instance.get(path).then(
      (response) => response.status,
      (error: AxiosError) => error.response?.status,
    )
  },
}

describe.each(Object.entries(senders))('through %s, a request redirected (307)', (_, send) => {
  it('to another origin that answers 401 reaches the caller as it is: no refresh, no retry', async () => {
    const auth = loggedInClient()
    expect(await send(auth, '/to-other')).toBe(401)
    expect(refreshes).toBe(0)
    expect(seen.map((entry) => entry.path)).toEqual(['api/to-other', 'other/x'])
    // The HTTP library itself drops the Authorization header when a redirect leaves the origin.
    expect(seen[0]?.authorization).toMatch(/^Bearer /)
    expect(seen[1]?.authorization).toBeUndefined()
    auth.destroy()
  })

  it('within the allowed origin, whose answer is 401, still refreshes and retries', async () => {
    const auth = loggedInClient()
    expect(await send(auth, '/to-same')).toBe(200)
    expect(refreshes).toBe(1)
    auth.destroy()
  })
})
