import { AuthError } from '../errors'
import { decodeTokens, encodeTokens } from './codec'
import type { TokenStorage } from './TokenStorage'

export interface CookieStorageOptions {
  /** The cookie's name. @default the client's own key, `tokenrail:<auth server>`, with `_` for what a name cannot hold */
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
  const { path = '/', sameSite = 'Strict', secure = true, maxAge, domain } = options
  // The client's key, cut to what a cookie name may hold.
  const nameOf = (key: string) => options.name ?? key.replace(/[^\w.-]/g, '_')
  const write = (key: string, value: string, lifetime = maxAge) =>
    (document.cookie = [
      `${nameOf(key)}=${value}`,
      `Path=${path}`,
      `SameSite=${sameSite}`,
      secure && 'Secure',
      lifetime !== undefined && `Max-Age=${lifetime}`,
      domain && `Domain=${domain}`,
    ]
      .filter(Boolean)
      .join('; '))
  // The value as written: URI-encoded, so it can be compared with what was written without decoding it.
  const read = (key: string) => {
    const prefix = `${nameOf(key)}=`
    return document.cookie.split('; ').find((part) => part.startsWith(prefix))?.slice(prefix.length)
  }
  return {
    get(key) {
      try {
        return decodeTokens(decodeURIComponent(read(key) ?? ''))
      } catch {
        return false // not encoded by us: read as a record to remove
      }
    },
    set(tokens, key) {
      const value = encodeURIComponent(encodeTokens(tokens))
      write(key, value)
      // Browsers drop a cookie over ~4 KiB without a word: check, so the client can fall back to memory.
      if (read(key) !== value) throw new AuthError(`Cookie ${nameOf(key)} not stored (too large?)`, { code: 'storage' })
    },
    clear: (key) => void write(key, '', 0),
  }
}
