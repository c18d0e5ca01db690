import { decodeTokens, encodeTokens } from './codec'
import type { TokenStorage } from './TokenStorage'

export interface WebStorageOptions {
  /** The key the record is stored under. @default 'tokenrail' */
  key?: string
}

/**
 * `localStorage` or `sessionStorage`. Pass a function (`() => localStorage`) to read the global only when the
 * client first needs it, which keeps server-side rendering away from `window`.
 */
export function webStorage(storage: Storage | (() => Storage), { key = 'tokenrail' }: WebStorageOptions = {}): TokenStorage {
  const area = () => (typeof storage === 'function' ? storage() : storage)
  return {
    get: () => decodeTokens(area().getItem(key)),
    set: (tokens) => area().setItem(key, encodeTokens(tokens)),
    clear: () => area().removeItem(key),
  }
}
