import { AuthError } from '../errors'
import { decodeTokens, encodeTokens } from './codec'
import type { TokenStorage } from './TokenStorage'

export interface CookieStorageOptions {
  /** @default 'tokenrail' */
  name?: string
  /** @default '/' */
  path?: string
  /** @default 'Strict' */
  sameSite?: 'Strict' | 'Lax' | 'None'
  /** @default true */
  secure?: boolean
  /** Seconds the cookie lives; a session cookie when absent. */
  maxAge?: number
  /** Cookie domain; the current host only when absent. */
  domain?: string
}

/**
 * A cookie scripts can read, for apps that need the tokens on the server side of a same-site app. The
 * refresh token stays readable by any script on the page: prefer memory storage, or `refreshToken: 'cookie'`
 * where the server keeps it in an HttpOnly cookie.
 */
export function cookieStorage(options: CookieStorageOptions = {}): TokenStorage {
  const { name = 'tokenrail', path = '/', sameSite = 'Strict', secure = true, maxAge, domain } = options
  const prefix = `${name}=`
  const write = (value: string, lifetime = maxAge) =>
    (document.cookie = [
      prefix + value,
      `Path=${path}`,
      `SameSite=${sameSite}`,
      secure && 'Secure',
      lifetime !== undefined && `Max-Age=${lifetime}`,
      domain && `Domain=${domain}`,
    ]
      .filter(Boolean)
      .join('; '))
  // The value as written: URI-encoded, so it can be compared with what was written without decoding it.
  const read = () => document.cookie.split('; ').find((part) => part.startsWith(prefix))?.slice(prefix.length)
  return {
    get() {
      try {
        return decodeTokens(decodeURIComponent(read() ?? ''))
      } catch {
        return false // not encoded by us: read as a record to remove
      }
    },
    set(tokens) {
      const value = encodeURIComponent(encodeTokens(tokens))
      write(value)
      // Browsers drop a cookie over ~4 KiB without a word: check, so the client can fall back to memory.
      if (read() !== value) throw new AuthError(`Cookie "${name}" was not stored (too large?)`, { code: 'storage' })
    },
    clear: () => void write('', 0),
  }
}
