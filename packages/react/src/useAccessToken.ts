import { useBinding } from './context'

/**
 * A function that resolves an access token valid now, for code that builds its own requests:
 * `client.getAccessToken()` (refreshed first when within the leeway; null when logged out or the session
 * ended). The same function on every render; reading it never re-renders, and no token is ever rendered.
 * Send the token only to your own API: `client.fetch` and `attachAxios` decide that for you.
 *
 * ```tsx
 * const getToken = useAccessToken()
 * const headers = { Authorization: `Bearer ${await getToken()}` }
 * ```
 */
export function useAccessToken(): () => Promise<string | null> {
  return useBinding('useAccessToken()').getAccessToken
}
