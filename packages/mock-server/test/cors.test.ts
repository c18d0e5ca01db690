// The real server's CORS, for a page on another origin (Vite on :5173, the server on :4000). What a browser
// does is played by hand: a preflight (OPTIONS with Access-Control-Request-*), then the request with Origin.
import { afterEach, describe, expect, it } from 'vitest'
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@tokenrail/mock-server'
import { startMockAuthServer, type RunningMockAuthServer, type StartMockAuthServerOptions } from '@tokenrail/mock-server/node'

const PAGE = 'http://localhost:5173'
const running: RunningMockAuthServer[] = []
async function start(options: StartMockAuthServerOptions = {}) {
  const server = await startMockAuthServer({ passwordHashIterations: 1000, ...options })
  running.push(server)
  return server
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()))
})

function preflight(url: string, origin: string, headers = 'content-type') {
  return fetch(url, {
    method: 'OPTIONS',
    headers: { Origin: origin, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': headers },
  })
}
function login(server: RunningMockAuthServer, origin: string) {
  return fetch(`${server.url}/auth/login`, {
    method: 'POST',
    headers: { Origin: origin, 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'demo', password: 'demo-password' }),
  })
}

describe('cors: which origins the server lets call it', () => {
  it.each([
    ['a wildcard', ['*'], /'\*' is not accepted: name each origin/],
    ['a trailing slash', ['http://localhost:5173/'], /did you mean 'http:\/\/localhost:5173'\?/],
    ['a path', ['http://localhost:5173/app'], /is not an origin \(scheme, host and port only\)/],
    ['a default port spelled out', ['https://app.example.com:443'], /did you mean 'https:\/\/app.example.com'\?/],
    ['an upper-case host', ['http://LOCALHOST:5173'], /did you mean 'http:\/\/localhost:5173'\?/],
    ['no scheme', ['localhost:5173'], /is not an http or https origin/],
    ['another scheme', ['file:///tmp'], /is not an http or https origin/],
    ['the opaque origin', ['null'], /is not an http or https origin/],
    ['not a string', [5173], /is not an http or https origin/],
    ['not an array', 'http://localhost:5173', /cors must be an array of origins/],
  ])('refuses %s with a TypeError that names the option and the fix', async (_name, cors, message) => {
    const error = await start({ cors: cors as string[] }).catch((reason: unknown) => reason)
    expect(error).toBeInstanceOf(TypeError)
    expect((error as Error).message).toMatch(/^cors/)
    expect((error as Error).message).toMatch(message)
  })

  it('with no cors option, refuses a preflight from another origin and says how to allow it', async () => {
    const server = await start()
    const response = await preflight(`${server.url}/auth/login`, PAGE)
    expect(response.status).toBe(403)
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
    expect(await response.json()).toEqual({
      error: 'cors',
      error_description: `this server allows no other origin: start it with --cors ${PAGE} (option cors: ['${PAGE}'])`,
    })
  })

  it('with no cors option, a request that carries Origin is answered as before, without CORS headers', async () => {
    const server = await start()
    const response = await login(server, PAGE)
    expect(response.status).toBe(200)
    expect(response.headers.get('access-control-allow-origin')).toBeNull()
    expect(response.headers.get('vary')).toBeNull()
  })

  it('answers an allowed origin’s preflight: its exact origin, the methods, the headers it asked for, no credentials in body mode', async () => {
    const server = await start({ cors: [PAGE, 'https://app.example.com'] })
    const response = await preflight(`${server.url}/api/todos`, PAGE, 'authorization,content-type')
    expect(response.status).toBe(204)
    expect(Object.fromEntries(response.headers)).toMatchObject({
      'access-control-allow-origin': PAGE,
      'access-control-allow-methods': 'GET, HEAD, POST',
      'access-control-allow-headers': 'authorization,content-type',
      'access-control-max-age': '600',
      vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers',
    })
    expect(response.headers.get('access-control-allow-credentials')).toBeNull()
    expect(server.mock.stats.apiRequests).toBe(0)
  })

  it('in cookie mode allows credentials, so the refresh cookie travels, still for the exact origin only', async () => {
    const server = await start({ cors: [PAGE], refreshToken: 'cookie' })
    const pre = await preflight(`${server.url}/auth/refresh`, PAGE, `content-type,${CSRF_HEADER}`)
    expect(pre.status).toBe(204)
    expect(pre.headers.get('access-control-allow-origin')).toBe(PAGE)
    expect(pre.headers.get('access-control-allow-credentials')).toBe('true')
    expect(pre.headers.get('access-control-allow-headers')).toBe(`content-type,${CSRF_HEADER}`)

    const refresh = await fetch(`${server.url}/auth/refresh`, {
      method: 'POST',
      headers: { Origin: PAGE, 'Content-Type': 'application/json', [CSRF_HEADER]: CSRF_HEADER_VALUE },
      body: '{}',
    })
    expect(refresh.status).toBe(204)
    expect(refresh.headers.get('access-control-allow-origin')).toBe(PAGE)
    expect(refresh.headers.get('access-control-allow-credentials')).toBe('true')
  })

  it('an allowed origin can read every answer, a 401 included (so its client can refresh), never as *', async () => {
    const server = await start({ cors: [PAGE] })
    const ok = await login(server, PAGE)
    expect(ok.status).toBe(200)
    expect(Object.fromEntries(ok.headers)).toMatchObject({
      'access-control-allow-origin': PAGE,
      'access-control-expose-headers': 'Date, WWW-Authenticate',
      vary: 'Origin',
    })
    const unauthorized = await fetch(`${server.url}/api/todos`, { headers: { Origin: PAGE, Authorization: 'Bearer not-a-jwt' } })
    expect(unauthorized.status).toBe(401)
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe(PAGE)
    const missing = await fetch(`${server.url}/nothing-here`, { headers: { Origin: PAGE } })
    expect(missing.status).toBe(404)
    expect(missing.headers.get('access-control-allow-origin')).toBe(PAGE)
  })

  it('another origin, or a look-alike, gets no CORS headers on its requests and 403 on its preflights', async () => {
    const server = await start({ cors: [PAGE] })
    for (const origin of ['http://localhost:5174', 'https://localhost:5173', 'http://localhost:5173.evil.example', 'http://127.0.0.1:5173', 'null']) {
      const response = await login(server, origin)
      expect(response.headers.get('access-control-allow-origin')).toBeNull()
      expect(response.headers.get('vary')).toBe('Origin')
      const pre = await preflight(`${server.url}/auth/login`, origin)
      expect(pre.status).toBe(403)
      expect(pre.headers.get('access-control-allow-origin')).toBeNull()
      expect((await pre.json()).error_description).toBe(`origin ${origin} is not in the server's cors list: add --cors ${origin}`)
    }
  })

  it('logs each refused origin once, with the fix and nothing of the request', async () => {
    const lines: string[] = []
    const server = await start({ log: (line) => lines.push(line) })
    await preflight(`${server.url}/auth/login`, PAGE)
    await preflight(`${server.url}/auth/refresh`, PAGE)
    await preflight(`${server.url}/auth/login`, 'http://localhost:3000')
    expect(lines).toEqual([
      `refused a request from ${PAGE}: this server allows no other origin: start it with --cors ${PAGE} (option cors: ['${PAGE}'])`,
      "refused a request from http://localhost:3000: this server allows no other origin: start it with --cors http://localhost:3000 (option cors: ['http://localhost:3000'])",
    ])
  })

  it('logs a bounded number of origins, since Origin is whatever a caller sends, and still refuses the rest', async () => {
    const lines: string[] = []
    const server = await start({ log: (line) => lines.push(line) })
    for (let port = 3000; port < 3101; port++) await preflight(`${server.url}/auth/login`, `http://localhost:${port}`)
    expect(lines).toHaveLength(100)
    expect((await preflight(`${server.url}/auth/login`, 'http://localhost:4999')).status).toBe(403)
  })
})
