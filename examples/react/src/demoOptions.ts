import { createAuthClient, memoryStorage, webStorage, type AuthClient, type TokenStorage } from '@tokenrail/react'

export type RefreshTokenMode = 'storage' | 'cookie'
export type StorageKind = 'memory' | 'local' | 'session'

/**
 * The client options the page was opened with: `?mode=cookie`, `?storage=local|session` (memory by default) and
 * `?api=<origin>`, a server on another origin (`npx tokenrail-mock-server --cors <this page's origin>`).
 */
export interface DemoOptions {
  refreshToken: RefreshTokenMode
  storage: StorageKind
  /** The auth server's origin when it is not this page's; then no mock server runs in the page. */
  api: string | undefined
}

const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback

function originOf(value: string | null): string | undefined {
  if (!value) return undefined
  try {
    const url = new URL(value)
    return url.protocol === 'http:' || url.protocol === 'https:' ? url.origin : undefined
  } catch {
    return undefined
  }
}

export function readDemoOptions(search: string): DemoOptions {
  const query = new URLSearchParams(search)
  return {
    refreshToken: pick(query.get('mode'), ['storage', 'cookie'], 'storage'),
    storage: pick(query.get('storage'), ['memory', 'local', 'session'], 'memory'),
    api: originOf(query.get('api')),
  }
}

/** Where a path of the auth server lives: on this page's origin, or on the `?api=` one. */
export const serverURL = (options: DemoOptions, path: string) => (options.api ? `${options.api}${path}` : path)

function storageFor(kind: StorageKind): TokenStorage {
  if (kind === 'local') return webStorage(() => localStorage)
  if (kind === 'session') return webStorage(() => sessionStorage)
  return memoryStorage()
}

/**
 * One client for the page, made outside React. `transport` is the page's request timeline: the client sends
 * every request through it, so the page can show each try, each 401 and the refresh they share.
 */
export function createDemoClient(options: DemoOptions, transport: typeof fetch): AuthClient {
  return createAuthClient({
    baseURL: options.api ?? '/',
    refreshToken: options.refreshToken,
    storage: storageFor(options.storage),
    fetch: transport,
  })
}
