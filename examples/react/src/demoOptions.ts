import { createAuthClient, memoryStorage, webStorage, type AuthClient, type TokenStorage } from '@tokenrail/react'

export type RefreshTokenMode = 'storage' | 'cookie'
export type StorageKind = 'memory' | 'local' | 'session'

/** The client options the page was opened with: `?mode=cookie` and `?storage=local|session`, memory by default. */
export interface DemoOptions {
  refreshToken: RefreshTokenMode
  storage: StorageKind
}

const pick = <T extends string>(value: string | null, allowed: readonly T[], fallback: T): T =>
  allowed.includes(value as T) ? (value as T) : fallback

export function readDemoOptions(search: string): DemoOptions {
  const query = new URLSearchParams(search)
  return {
    refreshToken: pick(query.get('mode'), ['storage', 'cookie'], 'storage'),
    storage: pick(query.get('storage'), ['memory', 'local', 'session'], 'memory'),
  }
}

function storageFor(kind: StorageKind): TokenStorage {
  if (kind === 'local') return webStorage(() => localStorage)
  if (kind === 'session') return webStorage(() => sessionStorage)
  return memoryStorage()
}

/** One client for the page, made outside React: the auth endpoints and the demo API live on this origin. */
export function createDemoClient(options: DemoOptions): AuthClient {
  return createAuthClient({ baseURL: '/', refreshToken: options.refreshToken, storage: storageFor(options.storage) })
}
