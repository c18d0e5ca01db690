// node:http <-> WHATWG fetch: each incoming request becomes a `Request` for msw's getResponse, and the handlers'
// `Response` is written back, every Set-Cookie header intact.
import type { IncomingMessage, ServerResponse } from 'node:http'

export const MAX_FORWARDED_BODY_BYTES = 1024 * 1024

export type BodyResult = { ok: true; body: Buffer | undefined } | { ok: false }

// Past the forwarding cap the rest of the body is read and dropped (so the client sees the 413 instead of a
// reset connection), up to this much; a client that keeps sending after that is cut off.
const MAX_DISCARDED_BYTES = 64 * 1024 * 1024

/** The request body, or `{ ok: false }` when it is bigger than `limit`. */
export function readRequestBody(req: IncomingMessage, limit = MAX_FORWARDED_BODY_BYTES): Promise<BodyResult> {
  if (req.method === 'GET' || req.method === 'HEAD') return Promise.resolve({ ok: true, body: undefined })
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= limit) chunks.push(chunk)
      else if (size > MAX_DISCARDED_BYTES) req.destroy()
    })
    req.on('end', () => resolve(size > limit ? { ok: false } : { ok: true, body: size === 0 ? undefined : Buffer.concat(chunks) }))
    req.on('error', () => resolve({ ok: false }))
    req.on('close', () => resolve({ ok: false }))
  })
}

export function toWebRequest(req: IncomingMessage, url: URL, body: Buffer | undefined): Request {
  const headers = new Headers()
  for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i] ?? ''
    if (!name.startsWith(':')) headers.append(name, req.rawHeaders[i + 1] ?? '')
  }
  return new Request(url, { method: req.method ?? 'GET', headers, body: body ? new Uint8Array(body) : undefined })
}

export async function writeWebResponse(res: ServerResponse, response: Response, headOnly: boolean): Promise<void> {
  const body = headOnly ? undefined : Buffer.from(await response.arrayBuffer())
  response.headers.forEach((value, name) => {
    if (name !== 'set-cookie' && name !== 'content-length' && name !== 'transfer-encoding') res.setHeader(name, value)
  })
  const cookies = response.headers.getSetCookie()
  if (cookies.length > 0) res.setHeader('Set-Cookie', cookies)
  // A 204 or 304 has no body, and RFC 9110 forbids it to announce one.
  if (body && response.status !== 204 && response.status !== 304) res.setHeader('Content-Length', body.length)
  res.writeHead(response.status, response.statusText || undefined)
  res.end(body)
}

export function sendJson(res: ServerResponse, status: number, body: Record<string, unknown>, extraHeaders: Record<string, string> = {}): void {
  const text = JSON.stringify(body)
  res.writeHead(status, {
    'Content-Type': 'application/json',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...extraHeaders,
  })
  res.end(text)
}
