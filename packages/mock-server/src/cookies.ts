// The refresh cookie of cookie mode: HttpOnly (no script reads it), Secure, SameSite=Strict, and sent only to
// the refresh endpoint, so no other request ever carries the refresh token.

export interface RefreshCookie {
  name: string
  path: string
}

export function setRefreshCookie({ name, path }: RefreshCookie, token: string, maxAgeSeconds: number): string {
  return `${name}=${token}; HttpOnly; Secure; SameSite=Strict; Path=${path}; Max-Age=${Math.max(0, Math.ceil(maxAgeSeconds))}`
}

/** Same name and path, so the browser replaces the cookie, and Max-Age=0, so it drops it. */
export function clearRefreshCookie({ name, path }: RefreshCookie): string {
  return `${name}=; HttpOnly; Secure; SameSite=Strict; Path=${path}; Max-Age=0`
}
