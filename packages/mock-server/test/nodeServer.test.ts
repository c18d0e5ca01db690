import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { CSRF_HEADER, CSRF_HEADER_VALUE } from '@tokenrail/mock-server'
import { startMockAuthServer, type RunningMockAuthServer } from '@tokenrail/mock-server/node'
import { rawGet, rawRequest } from './rawHttp'

const running: RunningMockAuthServer[] = []
async function start(options: Parameters<typeof startMockAuthServer>[0] = {}) {
  const server = await startMockAuthServer({ passwordHashIterations: 1000, ...options })
  running.push(server)
  return server
}
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()))
})

function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json', ...headers }, body: JSON.stringify(body) })
}
const demo = { username: 'demo', password: 'demo-password' }

describe('startMockAuthServer over real HTTP', () => {
  it('listens on 127.0.0.1 on a free port and serves the whole flow to plain fetch', async () => {
    const server = await start()
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    expect(server.url).not.toMatch(/:0$/)

    const login = await postJson(`${server.url}/auth/login`, demo)
    expect(login.status).toBe(200)
    expect(login.headers.get('cache-control')).toBe('no-store')
    const tokens = await login.json()
    const me = await fetch(`${server.url}/auth/me`, { headers: { Authorization: `Bearer ${tokens.accessToken}` } })
    expect(await me.json()).toMatchObject({ sub: 'demo' })
    const refreshed = await postJson(`${server.url}/auth/refresh`, { refreshToken: tokens.refreshToken })
    expect(refreshed.status).toBe(200)
    expect(server.mock.stats).toMatchObject({ logins: 1, refreshes: 1, apiRequests: 1 })
  })

  it('answers a raw HTTP/1.1 request written to a socket', async () => {
    const server = await start()
    const body = JSON.stringify(demo)
    const response = await rawRequest(
      server.url,
      [
        'POST /auth/login HTTP/1.1',
        `Host: ${new URL(server.url).host}`,
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        'Connection: close',
        '',
        body,
      ].join('\r\n'),
    )
    expect(response.status).toBe(200)
    expect(response.headers).toContainEqual(['cache-control', 'no-store'])
    expect(JSON.parse(response.body)).toMatchObject({ tokenType: 'Bearer', expiresIn: 300 })
  })

  it('answers a raw request with an unauthorized Bearer token with 401 and WWW-Authenticate', async () => {
    const server = await start()
    const response = await rawGet(server.url, '/api/todos', ['Authorization: Bearer not.a.token'])
    expect(response.status).toBe(401)
    expect(response.headers).toContainEqual(['www-authenticate', 'Bearer error="invalid_token"'])
  })

  it('passes Set-Cookie through intact in cookie mode, and the cookie works for refresh', async () => {
    const server = await start({ refreshToken: 'cookie' })
    const login = await postJson(`${server.url}/auth/login`, demo)
    const cookies = login.headers.getSetCookie()
    expect(cookies).toHaveLength(1)
    expect(cookies[0]).toMatch(/^tokenrail_rt=[\w-]{43}; HttpOnly; Secure; SameSite=Strict; Path=\/auth\/refresh; Max-Age=86400$/)

    const cookie = (cookies[0] ?? '').split(';')[0] ?? ''
    const refreshed = await fetch(`${server.url}/auth/refresh`, {
      method: 'POST',
      headers: { Cookie: cookie, [CSRF_HEADER]: CSRF_HEADER_VALUE },
    })
    expect(refreshed.status).toBe(200)
    expect(refreshed.headers.getSetCookie()[0]).not.toContain(cookie)
    expect(server.mock.stats.refreshes).toBe(1)
  })

  it('drops the connection for an injected network fault', async () => {
    const server = await start()
    server.mock.faults.failNextRefresh('network')
    await expect(postJson(`${server.url}/auth/refresh`, { refreshToken: 'x' })).rejects.toThrow(TypeError)
    expect(server.mock.stats.refreshAttempts).toBe(1)
  })

  it('answers 404 JSON for anything unhandled', async () => {
    const server = await start()
    const response = await fetch(`${server.url}/nothing/here`)
    expect(response.status).toBe(404)
    expect(await response.json()).toEqual({ error: 'not_found' })
    expect((await fetch(`${server.url}/auth/login`)).status).toBe(404) // GET on a POST endpoint
  })

  it('refuses an absolute-form request target', async () => {
    const server = await start()
    const response = await rawGet(server.url, 'http://elsewhere.example/auth/me')
    expect(response.status).toBe(400)
  })

  it.each(['//elsewhere.example/auth/me', '/\\elsewhere.example/auth/me', '/\\', '/\\@', '/\\[::1'])(
    'refuses a target that resolves to another origin or to no URL (%s) with 400',
    async (target) => {
      const server = await start()
      const response = await rawGet(server.url, target)
      expect(response.status).toBe(400)
      expect(JSON.parse(response.body)).toMatchObject({ error: 'invalid_request' })
    },
  )

  it('answers 405 to a method fetch cannot carry (TRACE), not 500', async () => {
    const server = await start()
    const host = new URL(server.url).host
    const response = await rawRequest(server.url, ['TRACE /auth/me HTTP/1.1', `Host: ${host}`, 'Connection: close', '', ''].join('\r\n'))
    expect(response.status).toBe(405)
  })

  it('sends a 204 (logout) without Content-Length', async () => {
    const server = await start()
    const host = new URL(server.url).host
    const response = await rawRequest(
      server.url,
      ['POST /auth/logout HTTP/1.1', `Host: ${host}`, 'Connection: close', 'Content-Length: 0', '', ''].join('\r\n'),
    )
    expect(response.status).toBe(204)
    expect(response.headers.map(([name]) => name)).not.toContain('content-length')
  })

  it('still answers 400 invalid_request to an oversized JSON body, and 413 to a body over 1 MiB', async () => {
    const server = await start()
    const large = await postJson(`${server.url}/auth/login`, { ...demo, pad: 'x'.repeat(100 * 1024) })
    expect(large.status).toBe(400)
    expect(await large.json()).toMatchObject({ error: 'invalid_request' })
    const huge = await postJson(`${server.url}/auth/login`, { ...demo, pad: 'x'.repeat(2 * 1024 * 1024) })
    expect(huge.status).toBe(413)
  })

  it('refuses to start with a short key, before listening', async () => {
    await expect(startMockAuthServer({ key: 'too-short' })).rejects.toThrow(RangeError)
  })

  it('close() stops the server and can be called twice', async () => {
    const server = await startMockAuthServer()
    await server.close()
    await server.close()
    await expect(fetch(`${server.url}/auth/me`)).rejects.toThrow(TypeError)
  })
})

describe('control endpoints', () => {
  it('are off by default', async () => {
    const server = await start()
    expect((await fetch(`${server.url}/__mock/stats`)).status).toBe(404)
    expect((await postJson(`${server.url}/__mock/reset`, {})).status).toBe(404)
    expect((await postJson(`${server.url}/__mock/clock/advance`, { seconds: 3600 })).status).toBe(404)
  })

  it('move the clock, read the stats and reset, when turned on', async () => {
    const server = await start({ controlEndpoints: true })
    const tokens = await (await postJson(`${server.url}/auth/login`, demo)).json()
    const before = server.mock.clock.now()

    const advanced = await postJson(`${server.url}/__mock/clock/advance`, { seconds: 301 })
    expect(advanced.status).toBe(200)
    expect((await advanced.json()).now).toBeGreaterThanOrEqual(before + 301_000)
    const expired = await fetch(`${server.url}/auth/me`, { headers: { Authorization: `Bearer ${tokens.accessToken}` } })
    expect(expired.status).toBe(401)

    expect(await (await fetch(`${server.url}/__mock/stats`)).json()).toMatchObject({ logins: 1, unauthorized: 1 })
    expect((await postJson(`${server.url}/__mock/reset`, {})).status).toBe(204)
    expect(server.mock.stats.logins).toBe(0)
    expect((await postJson(`${server.url}/__mock/clock/advance`, { seconds: -5 })).status).toBe(400)
  })
})

describe('static files', () => {
  let root: string
  let outside: string

  beforeAll(async () => {
    const base = await mkdtemp(join(tmpdir(), 'tokenrail-static-'))
    root = join(base, 'app')
    outside = join(base, 'secret.txt')
    await mkdir(join(root, 'assets'), { recursive: true })
    await mkdir(join(root, 'docs'))
    await writeFile(join(root, 'index.html'), '<!doctype html><title>app</title>')
    await writeFile(join(root, 'assets', 'main.js'), 'console.log("app")')
    await writeFile(join(root, 'assets', 'style.css'), 'body{}')
    await writeFile(join(root, 'assets', 'logo.svg'), '<svg/>')
    await writeFile(join(root, 'docs', 'index.html'), '<p>docs</p>')
    await writeFile(outside, 'top secret')
    await symlink(outside, join(root, 'leak.txt'))
  })
  afterAll(async () => {
    await rm(join(root, '..'), { recursive: true, force: true })
  })

  it('serves files with their content types', async () => {
    const server = await start({ staticDir: root })
    const cases: Array<[string, string, string]> = [
      ['/', 'text/html; charset=utf-8', '<!doctype html><title>app</title>'],
      ['/assets/main.js', 'text/javascript; charset=utf-8', 'console.log("app")'],
      ['/assets/style.css', 'text/css; charset=utf-8', 'body{}'],
      ['/assets/logo.svg', 'image/svg+xml', '<svg/>'],
      ['/docs/', 'text/html; charset=utf-8', '<p>docs</p>'],
    ]
    for (const [path, type, body] of cases) {
      const response = await fetch(`${server.url}${path}`)
      expect(response.status, path).toBe(200)
      expect(response.headers.get('content-type'), path).toBe(type)
      expect(await response.text(), path).toBe(body)
    }
  })

  it('falls back to index.html for client-side routes, but not for missing files or API paths', async () => {
    const server = await start({ staticDir: root })
    const route = await fetch(`${server.url}/todos/42`)
    expect(route.status).toBe(200)
    expect(await route.text()).toContain('<title>app</title>')
    expect((await fetch(`${server.url}/assets/missing.js`)).status).toBe(404)
    expect((await fetch(`${server.url}/api/unknown`)).status).toBe(404)
  })

  it('serves the API next to the files on the same origin', async () => {
    const server = await start({ staticDir: root })
    expect((await postJson(`${server.url}/auth/login`, demo)).status).toBe(200)
  })

  it.each([
    ['dot segments', '/../secret.txt'],
    ['encoded dot segments', '/%2e%2e/secret.txt'],
    ['an encoded slash', '/assets/..%2f..%2fsecret.txt'],
    ['a backslash', '/..\\secret.txt'],
    ['a null byte', '/index.html%00.js'],
    ['a symlink out of the root', '/leak.txt'],
    ['a malformed escape', '/%E0%A4%A'],
  ])('never serves a file outside staticDir (%s)', async (_name, target) => {
    const server = await start({ staticDir: root })
    const response = await rawGet(server.url, target)
    expect(response.status).toBe(404)
    expect(response.body).not.toContain('top secret')
  })

  it('refuses a staticDir that does not exist', async () => {
    await expect(startMockAuthServer({ staticDir: join(root, 'nope') })).rejects.toThrow()
  })
})
