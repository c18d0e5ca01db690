import { decodeTokens, encodeTokens } from './codec'
import type { TokenStorage } from './TokenStorage'

export interface WebStorageOptions {
  /** The key the record is stored under. @default the client's own key, `tokenrail:<auth server>` */
  key?: string
}

/**
 * `localStorage` or `sessionStorage`. Pass a function (`() => localStorage`) to read the global only when the
 * client first needs it, which keeps server-side rendering away from `window`.
 */
export function webStorage(storage: Storage | (() => Storage), { key }: WebStorageOptions = {}): TokenStorage {
  const area = () => (typeof storage === 'function' ? storage() : storage)
  return {
    get: (own) => decodeTokens(area().getItem(key ?? own)),
    set: (tokens, own) => area().setItem(key ?? own, encodeTokens(tokens)),
    clear: (own) => area().removeItem(key ?? own),
  }
}
