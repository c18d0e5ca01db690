// CORS, for a page served from another origin than the server (Vite on :5173, the mock server on :4000). Exact
// origins only, never `*`: in cookie mode the answers let the page send the refresh cookie, and a wildcard
// (or a prefix, or a reflected Origin) would let any site spend the user's session.
import type { IncomingMessage } from 'node:http'

export interface CorsOptions {
  /** Exact origins (`http://localhost:5173`) whose pages may call the server. */
  origins: readonly string[]
  /** Whether answers allow credentials (cookie mode: the refresh cookie must travel). */
  credentials: boolean
}

/** What the server does about CORS for one request, before any handler runs. */
export type CorsDecision =
  /** Not a preflight: the handlers answer, with these headers added. */
  | { kind: 'answer'; headers: Record<string, string> }
  /** A preflight from an allowed origin: answered 204 with these headers, no handler involved. */
  | { kind: 'preflight'; headers: Record<string, string> }
  /** A preflight from an origin not on the list: answered 403 with this body, which says how to allow it. */
  | { kind: 'refused'; origin: string; headers: Record<string, string>; body: { error: 'cors'; error_description: string } }

// The mock's routes take GET and POST; HEAD comes with GET.
const METHODS = 'GET, HEAD, POST'
// Headers the page may read besides the safelisted ones: the clock a client may compare with its own, and why a
// token was refused.
const EXPOSED = 'Date, WWW-Authenticate'
const PREFLIGHT_MAX_AGE_SECONDS = '600'

/** The `cors` option checked: each entry an exact http(s) origin. Throws a TypeError that names the option. */
export function corsOrigins(value: unknown): string[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) throw new TypeError('cors must be an array of origins, e.g. [\'http://localhost:5173\']')
  return value.map((entry: unknown) => {
    if (entry === '*') {
      throw new TypeError("cors: '*' is not accepted: name each origin (e.g. 'http://localhost:5173'), since answers may carry credentials")
    }
    const origin = originOf(entry)
    if (origin === undefined) throw new TypeError(`cors: ${JSON.stringify(entry)} is not an http or https origin, e.g. 'http://localhost:5173'`)
    if (origin !== entry) throw new TypeError(`cors: ${JSON.stringify(entry)} is not an origin (scheme, host and port only): did you mean '${origin}'?`)
    return origin
  })
}

function originOf(entry: unknown): string | undefined {
  if (typeof entry !== 'string') return undefined
  try {
    const url = new URL(entry)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined
  } catch {
    return undefined
  }
}

export function createCors({ origins, credentials }: CorsOptions) {
  const allowed = new Set(origins)
  // An answer that depends on Origin says so, so no cache hands one origin's answer to another.
  const vary: Record<string, string> = allowed.size > 0 ? { Vary: 'Origin' } : {}

  function allowOrigin(origin: string): Record<string, string> {
    return {
      'Access-Control-Allow-Origin': origin,
      ...(credentials && { 'Access-Control-Allow-Credentials': 'true' }),
    }
  }

  return {
    decide(req: IncomingMessage): CorsDecision {
      const origin = req.headers.origin
      const isPreflight = req.method === 'OPTIONS' && origin !== undefined && req.headers['access-control-request-method'] !== undefined
      if (!isPreflight) {
        if (origin === undefined || !allowed.has(origin)) return { kind: 'answer', headers: vary }
        return { kind: 'answer', headers: { ...vary, ...allowOrigin(origin), 'Access-Control-Expose-Headers': EXPOSED } }
      }
      const preflightVary = { Vary: 'Origin, Access-Control-Request-Method, Access-Control-Request-Headers' }
      if (!allowed.has(origin)) {
        // Said in the body (the browser's network panel shows it), since the console only says "CORS error".
        const description =
          allowed.size === 0
            ? `this server allows no other origin: start it with --cors ${origin} (option cors: ['${origin}'])`
            : `origin ${origin} is not in the server's cors list: add --cors ${origin}`
        return { kind: 'refused', origin, headers: preflightVary, body: { error: 'cors', error_description: description } }
      }
      return {
        kind: 'preflight',
        headers: {
          ...preflightVary,
          ...allowOrigin(origin),
          'Access-Control-Allow-Methods': METHODS,
          // The origin is the boundary; the mock reads no header a page could abuse, so a page may send any it asks for.
          ...(typeof req.headers['access-control-request-headers'] === 'string' && {
            'Access-Control-Allow-Headers': req.headers['access-control-request-headers'],
          }),
          'Access-Control-Max-Age': PREFLIGHT_MAX_AGE_SECONDS,
        },
      }
    },
  }
}

export type Cors = ReturnType<typeof createCors>
