import type { MockEndpoints } from './types'

export interface ResolvedEndpoints extends MockEndpoints {
  /** The URL path of the refresh endpoint: the `Path` of the refresh cookie. */
  readonly refreshPath: string
  /** Path prefixes the handlers own (the Node server never serves static files under them). */
  readonly ownedPaths: readonly string[]
}

/**
 * The endpoint URLs under `baseURL`. An absolute base gives absolute URLs; a path gives paths, which msw resolves
 * against the page's origin (browser worker) or the origin the Node server passes it.
 */
export function resolveEndpoints(baseURL: string): ResolvedEndpoints {
  const { base, basePath } = normalizeBase(baseURL)
  const url = (path: string) => `${base}${path}`
  return {
    login: url('/auth/login'),
    refresh: url('/auth/refresh'),
    logout: url('/auth/logout'),
    me: url('/auth/me'),
    todos: url('/api/todos'),
    refreshPath: `${basePath}/auth/refresh`,
    ownedPaths: [`${basePath}/auth/`, `${basePath}/api/`],
  }
}

function normalizeBase(baseURL: string): { base: string; basePath: string } {
  if (typeof baseURL !== 'string' || baseURL === '') {
    throw new TypeError("baseURL is required: an absolute URL like 'https://api.example.com' or a path like '/'")
  }
  if (baseURL.startsWith('/') && !baseURL.startsWith('//')) {
    if (/[?#]/.test(baseURL)) throw new TypeError(`baseURL must not carry a query or a fragment, got ${baseURL}`)
    const basePath = trimTrailingSlashes(baseURL)
    return { base: basePath, basePath }
  }
  let parsed: URL
  try {
    parsed = new URL(baseURL)
  } catch {
    throw new TypeError(`baseURL must be an absolute http(s) URL or a path starting with '/', got ${baseURL}`)
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
    throw new TypeError(`baseURL must use http or https, got ${parsed.protocol}`)
  }
  if (parsed.search || parsed.hash) throw new TypeError(`baseURL must not carry a query or a fragment, got ${baseURL}`)
  const basePath = trimTrailingSlashes(parsed.pathname)
  return { base: `${parsed.origin}${basePath}`, basePath }
}

function trimTrailingSlashes(path: string): string {
  return path.replace(/\/+$/, '')
}
