// `@tokenrail/mock-server/node`: the same handlers behind a real HTTP server, for clients that need one: several
// browser tabs sharing one server, real HttpOnly cookies, other processes. Node only.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getResponse, type HttpHandler } from 'msw'
import { createMockAuthServer, type MockAuthServer, type MockAuthServerOptions } from '@tokenrail/mock-server'
import { createControlHandlers } from './server/controlHandlers'
import { corsOrigins, createCors, type Cors } from './server/cors'
import { readRequestBody, sendJson, toWebRequest, writeWebResponse } from './server/nodeHttp'
import { createStaticFiles, type StaticFiles } from './server/staticFiles'

export interface StartMockAuthServerOptions extends Omit<MockAuthServerOptions, 'baseURL'> {
  /** 0 picks a free port; read the real one from `url`. @default 0 */
  port?: number
  /** @default '127.0.0.1' */
  host?: string
  /** A directory served on the same origin (a built app), with index.html for client-side routes. */
  staticDir?: string
  /** Exposes `POST /__mock/clock/advance`, `GET /__mock/stats` and `POST /__mock/reset`. @default false */
  controlEndpoints?: boolean
  /**
   * Exact origins whose pages may call this server from another origin (`['http://localhost:5173']`): their
   * preflights are answered and their answers readable; in cookie mode with credentials, so the refresh cookie
   * travels. Never `'*'`. @default [] (same origin only)
   */
  cors?: readonly string[]
  /**
   * Where the server says what it refused and how to fix it (a preflight from an origin not in `cors`), once per
   * origin. Never a request body, a password or a token. @default no output
   */
  log?: (message: string) => void
}

export interface RunningMockAuthServer {
  /** The server's origin, e.g. `http://127.0.0.1:4000`; the endpoints live at its root. */
  readonly url: string
  /** The server's `createMockAuthServer` object: clock, faults, stats, reset. */
  readonly mock: MockAuthServer
  /** Stops listening and closes open connections. */
  close(): Promise<void>
}

const MAX_LOGGED_ORIGINS = 100

export async function startMockAuthServer(options: StartMockAuthServerOptions = {}): Promise<RunningMockAuthServer> {
  const { port = 0, host = '127.0.0.1', staticDir, controlEndpoints = false, cors: corsOption, log, ...mockOptions } = options
  const cors = createCors({ origins: corsOrigins(corsOption), credentials: mockOptions.refreshToken === 'cookie' })
  const refusedOrigins = new Set<string>()
  const refused = (origin: string, description: string) => {
    // Once per origin, and for a bounded number of them: the Origin header is whatever a caller sends.
    if (!log || refusedOrigins.has(origin) || refusedOrigins.size >= MAX_LOGGED_ORIGINS) return
    refusedOrigins.add(origin)
    log(`refused a request from ${origin}: ${description}`)
  }
  // The endpoints sit at the root of the server's own origin: paths, resolved per request against that origin.
  const mock = createMockAuthServer({ ...mockOptions, baseURL: '/' })
  const handlers = controlEndpoints ? [...mock.handlers, ...createControlHandlers(mock)] : mock.handlers
  const staticFiles =
    staticDir === undefined ? undefined : await createStaticFiles(staticDir, { noFallbackUnder: ['/auth/', '/api/', '/__mock/'] })

  let origin = ''
  const server = createServer((req, res) => {
    handle({ req, res, origin, handlers, staticFiles, cors, refused }).catch(() => {
      if (res.headersSent) res.destroy()
      else sendJson(res, 500, { error: 'server_error' })
    })
  })
  await listen(server, port, host)
  origin = originOf(server.address() as AddressInfo)
  return { url: origin, mock, close: once(() => closeServer(server)) }
}

interface Exchange {
  req: IncomingMessage
  res: ServerResponse
  origin: string
  handlers: HttpHandler[]
  staticFiles: StaticFiles | undefined
  cors: Cors
  refused(origin: string, description: string): void
}

async function handle({ req, res, origin, handlers, staticFiles, cors, refused }: Exchange): Promise<void> {
  const decision = cors.decide(req)
  if (decision.kind === 'refused') {
    refused(decision.origin, decision.body.error_description)
    return sendJson(res, 403, decision.body, decision.headers)
  }
  if (decision.kind === 'preflight') return void res.writeHead(204, decision.headers).end()
  // Set before any answer is written, so handlers, static files and errors alike carry them.
  for (const [name, value] of Object.entries(decision.headers)) res.setHeader(name, value)

  const url = originFormTarget(req.url, origin)
  if (!url) return sendJson(res, 400, { error: 'invalid_request', error_description: 'bad request target' })
  const read = await readRequestBody(req)
  if (!read.ok) return sendJson(res, 413, { error: 'payload_too_large' }, { Connection: 'close' })

  let request: Request
  try {
    request = toWebRequest(req, url, read.body)
  } catch {
    // A method fetch refuses to carry (TRACE, CONNECT, TRACK) reaches no handler.
    return sendJson(res, 405, { error: 'method_not_allowed' })
  }
  const response = await getResponse(handlers, request, { baseUrl: origin })
  const headOnly = req.method === 'HEAD'
  if (response?.type === 'error') {
    // A handler asked for a network error: the connection just drops, as a dead server's would.
    req.socket.destroy()
    return
  }
  if (response) return writeWebResponse(res, response, headOnly)
  if (staticFiles && (req.method === 'GET' || headOnly) && (await staticFiles.serve(url.pathname, res, headOnly))) return
  sendJson(res, 404, { error: 'not_found' })
}

/**
 * The URL of an origin-form target ("/path?query") on this server, or undefined. A target that resolves to
 * another origin ("//host/x", "/\\host/x", which URL parsers read alike) or to no URL at all is refused: a
 * request target must not redirect the request elsewhere, nor fail the server.
 */
function originFormTarget(target: string | undefined, origin: string): URL | undefined {
  if (!target?.startsWith('/')) return undefined
  try {
    const url = new URL(target, origin)
    return url.origin === new URL(origin).origin ? url : undefined
  } catch {
    return undefined
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

function originOf(address: AddressInfo): string {
  const host =
    address.address === '0.0.0.0' ? '127.0.0.1' : address.address === '::' ? '[::1]' : address.family === 'IPv6' ? `[${address.address}]` : address.address
  return `http://${host}:${address.port}`
}

function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()))
    server.closeAllConnections()
  })
}

function once(action: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined
  return () => (result ??= action())
}
