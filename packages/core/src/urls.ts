// Where a client's requests go and which of them may carry the token. URLs resolve as the environment's fetch
// resolves them: against the document's base URL in a page; outside a page an absolute URL stands alone
// (`https:host/x` is host's, as Node's fetch reads it) and a relative one goes under `baseURL`. The allowlist
// judges the very URL the request goes to.

/** A URL with a scheme: it needs no base to resolve. */
export const ABSOLUTE = /^[a-z][a-z\d+\-.]*:/i

const pageBase = () => globalThis.document?.baseURI ?? globalThis.location?.href

/** `baseURL` resolved as a page would resolve it; a TypeError that names it when it is not a URL. */
export function parseBaseURL(baseURL: string): URL {
  try {
    return new URL(baseURL, pageBase())
  } catch (cause) {
    throw new TypeError(`tokenrail: baseURL "${baseURL}" is not a URL`, { cause })
  }
}

/** Resolves a request URL the way the transport will. */
export const urlResolver = (apiBase: URL) => (url: string | URL) => {
  const base = pageBase()
  return base ? new URL(url, base) : ABSOLUTE.test(String(url)) ? new URL(url) : new URL(url, apiBase)
}

/**
 * The auth server a client belongs to: `baseURL`'s origin and path, ending in `/`. Endpoint paths resolve under
 * it, and it names what the client shares with others (its storage record, its tab channel and lock).
 */
export const authServer = (apiBase: URL) => `${apiBase.origin}${apiBase.pathname.replace(/\/?$/, '/')}`

/** An endpoint path under the auth server's path ('/api/' + '/auth/login'); an absolute URL stands as it is. */
export const endpointURL = (server: string) => (path: string) => new URL(path.replace(/^\//, ''), server).href

/** An `allowedOrigins` entry's origin; an entry that is not an absolute URL naming an origin is a mistake. */
function originOf(entry: string): string {
  let origin = 'null'
  try {
    origin = new URL(entry).origin
  } catch {
    // refused below
  }
  if (origin === 'null') throw new TypeError(`tokenrail: allowedOrigins "${entry}" is not an origin (https://host)`)
  return origin
}

/**
 * Whether a URL may carry the token: its origin, once resolved, is one of `allowedOrigins` (by default the
 * origin of `baseURL`). An absolute URL string that starts with an allowed origin and a `/` is decided without
 * parsing (the host ends at that first `/`): this runs on every request.
 */
export function allowlist(allowedOrigins: string[] | undefined, apiBase: URL, resolve: (url: string | URL) => URL) {
  // An opaque origin ('null': data:, file:, custom schemes) names no one, so it can never allow anything.
  const origins = allowedOrigins?.map(originOf) ?? [apiBase.origin].filter((origin) => origin !== 'null')
  const prefixes = origins.map((origin) => `${origin}/`)
  return (url: string | URL) => {
    if (typeof url === 'string') for (let i = 0; i < prefixes.length; i++) if (url.startsWith(prefixes[i]!)) return true
    return origins.includes(resolve(url).origin)
  }
}
