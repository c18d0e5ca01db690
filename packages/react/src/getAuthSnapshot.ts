import type { AuthClient, AuthStatus, Claims } from '@tokenrail/core'

/**
 * The part of a client's state that a server may put in its HTML for hydration: never a token. Plain data
 * (JSON-safe as long as the user's claims are).
 */
export interface AuthSnapshot<User = Claims> {
  status: AuthStatus
  user: User | null
  /** Epoch ms when the access token expires, on the server's clock; null when unknown. */
  expiresAt: number | null
}

/**
 * What `client` would render, without its token: on the server, after `client.setTokens(...)`, pass it to
 * `<AuthProvider snapshot>` there and in the browser, so both render the same page.
 */
export function getAuthSnapshot<User>(client: AuthClient<User, unknown>): AuthSnapshot<User> {
  const { status, user, expiresAt } = client.getState()
  return { status, user, expiresAt }
}
