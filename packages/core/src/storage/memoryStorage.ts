import type { TokenSet } from '../tokens'
import type { TokenStorage } from './TokenStorage'

/** The default: tokens live only as long as the page, out of reach of anything that reads storage. */
export function memoryStorage(): TokenStorage {
  let tokens: TokenSet | null = null
  return {
    get: () => tokens,
    set: (next) => void (tokens = next),
    clear: () => void (tokens = null),
  }
}
