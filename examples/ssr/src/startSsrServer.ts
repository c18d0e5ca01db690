import { readFile } from 'node:fs/promises'
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join, normalize } from 'node:path'
import { renderPage } from './renderPage'

export interface SsrServerOptions {
  /** The built browser bundle (`vite build`): its `assets/` are served as they are. */
  clientDir: string
  /** Where the auth endpoints and the API live; `/auth/*` and `/api/*` are forwarded there. */
  api: string
  /** 0 picks a free port. @default 0 */
  port?: number
  /** @default '127.0.0.1' */
  host?: string
}

export interface RunningSsrServer {
  /** e.g. `http://127.0.0.1:4175` */
  url: string
  close(): Promise<void>
}

// Headers that describe one hop, not the message: never forwarded.
const HOP = new Set(['host', 'connection', 'content-length', 'transfer-encoding', 'keep-alive', 'content-encoding'])

function forwardable(headers: IncomingMessage['headers'] | Headers): Record<string, string> {
  const entries = headers instanceof Headers ? [...headers] : Object.entries(headers)
  return Object.fromEntries(
    entries.filter(([name, value]) => !HOP.has(name) && typeof value === 'string') as [string, string][],
  )
}

async function body(request: IncomingMessage): Promise<Uint8Array<ArrayBuffer> | undefined> {
  if (request.method === 'GET' || request.method === 'HEAD') return undefined
  const chunks: Buffer[] = []
  for await (const chunk of request) chunks.push(chunk as Buffer)
  return Uint8Array.from(Buffer.concat(chunks))
}

/** The auth calls and the API go to the API server, as a same-origin app's reverse proxy would send them. */
async function forward(request: IncomingMessage, response: ServerResponse, api: string) {
  const answer = await fetch(new URL(request.url ?? '/', api), {
    method: request.method,
    headers: forwardable(request.headers),
    body: await body(request),
  })
  response.writeHead(answer.status, forwardable(answer.headers))
  response.end(Buffer.from(await answer.arrayBuffer()))
}

async function asset(response: ServerResponse, clientDir: string, path: string) {
  const file = normalize(join(clientDir, path))
  if (!file.startsWith(normalize(join(clientDir, 'assets')))) return void response.writeHead(404).end()
  const type = file.endsWith('.js') ? 'text/javascript' : file.endsWith('.css') ? 'text/css' : 'application/octet-stream'
  try {
    response.writeHead(200, { 'content-type': type }).end(await readFile(file))
  } catch {
    response.writeHead(404).end()
  }
}

/** A plain node:http server: `GET /` server-rendered, `/assets/*` from the bundle, `/auth/*` and `/api/*` forwarded. */
export async function startSsrServer({ clientDir, api, port = 0, host = '127.0.0.1' }: SsrServerOptions): Promise<RunningSsrServer> {
  const server = createServer((request, response) => {
    const { pathname } = new URL(request.url ?? '/', 'http://localhost')
    const handled = pathname.startsWith('/auth/') || pathname.startsWith('/api/')
      ? forward(request, response, api)
      : pathname.startsWith('/assets/')
        ? asset(response, clientDir, pathname)
        : request.method === 'GET' && pathname === '/'
          ? renderPage(request, response, api)
          : Promise.resolve(void response.writeHead(404).end())
    handled.catch(() => {
      if (response.headersSent) response.destroy()
      else response.writeHead(502, { 'content-type': 'text/plain' }).end('Bad gateway')
    })
  })
  await new Promise<void>((resolve) => server.listen(port, host, resolve))
  const { port: actual } = server.address() as AddressInfo
  return {
    url: `http://${host}:${actual}`,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections()
        server.close((error) => (error ? reject(error) : resolve()))
      }),
  }
}
