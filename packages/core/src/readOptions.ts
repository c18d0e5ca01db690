import { MAX_DELAY } from './scheduler'
import type { AuthClientOptions } from './types'
import { allowlist, authServer, parseBaseURL, urlResolver } from './urls'

/** The client's options, checked, with their defaults and what follows from them. */
export function readOptions(options: AuthClientOptions<never>) {
  const now = options.now ?? Date.now
  const timeoutMs = options.timeout ?? 10_000
  const leewayMs = (options.refreshLeeway ?? 30) * 1000
  const statusCodes = options.statusCodes ?? [401]
  // NaN, Infinity or a value out of range would spin a timer or never fire it (setTimeout takes more for 1 ms).
  if (!(Number.isFinite(timeoutMs) && timeoutMs >= 1 && timeoutMs <= MAX_DELAY)) throw new TypeError('tokenrail: timeout must be 1 to 2147483647 ms')
  if (!(Number.isFinite(leewayMs) && leewayMs >= 0)) throw new TypeError('tokenrail: refreshLeeway must be seconds, at least 0')
  if (!Array.isArray(statusCodes)) throw new TypeError('tokenrail: statusCodes must be an array, like [401]')
  const cookieMode = options.refreshToken === 'cookie'
  const inBrowser = typeof document !== 'undefined'
  const crossTab = options.crossTab ?? (inBrowser && typeof BroadcastChannel !== 'undefined')
  const transport = () => options.fetch ?? globalThis.fetch
  const apiBase = parseBaseURL(options.baseURL)
  const server = authServer(apiBase)
  // Whose session this is: the auth server's, and with `name` one of several clients of it (two OAuth clients
  // of one issuer). It binds the stored record and names the storage key, the tab channel and the lock.
  const bound = options.name ? `${server}#${options.name}` : server
  const key = `tokenrail:${bound}`
  const resolve = urlResolver(apiBase)
  const allowed = allowlist(options.allowedOrigins, apiBase, resolve)
  // Only a refresh builder of the app's can refresh a session without a refresh token (with the access token).
  const needsRefreshToken = !cookieMode && !options.requests?.refresh
  return { now, timeoutMs, leewayMs, statusCodes, cookieMode, inBrowser, crossTab, transport, server, bound, key, resolve, allowed, needsRefreshToken }
}
