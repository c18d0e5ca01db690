import { discover, loginWithRedirect } from '@tokenrail/core/oauth2'
import { createAuthClient, webStorage } from '@tokenrail/react'

export const ISSUER = import.meta.env.VITE_OIDC_ISSUER
export const API = import.meta.env.VITE_OIDC_API
export const CALLBACK_PATH = '/callback'

/** The user is the ID token's claims. */
export interface User {
  sub: string
  name?: string
}

/** The app's one client, made once before React renders: the provider's metadata is read first. */
export async function createClient() {
  return createAuthClient<User>({
    ...(await discover(ISSUER, {
      clientId: 'spa',
      // RFC 8707: the access token is for this API (a JWT with `aud` = the API), at login and at each refresh.
      resource: API,
      // The provider runs on plain http on 127.0.0.1 here. This switch is honoured on loopback addresses only;
      // a real provider is HTTPS, and the line goes.
      allowInsecureRequests: true,
    })),
    // The API gets the access token; nothing else does (the provider's endpoints get their own calls only).
    allowedOrigins: [API],
    // Kept across reloads and shared by tabs: the callback is a page load, and so is every return from the
    // provider. Memory (the default) would send the user back to the provider after each reload.
    storage: webStorage(() => localStorage),
  })
}

export type Auth = Awaited<ReturnType<typeof createClient>>

declare module '@tokenrail/react' {
  interface Register {
    client: Auth
  }
}

/**
 * Leaves for the provider's login page; `returnTo` is the app path to come back to. `replace`: the page that
 * started it leaves the history as well (a protected page that sends whoever is signed out away), so that Back on
 * the provider's page goes to the page before it instead of bouncing straight back to the provider.
 */
export function signIn(auth: Auth, returnTo: string, { replace = false } = {}): Promise<void> {
  return loginWithRedirect(auth, {
    redirectUri: new URL(CALLBACK_PATH, location.origin).href,
    scope: 'openid offline_access',
    // oidc-provider grants offline_access (a refresh token) only when consent is asked for.
    extraParams: { prompt: 'consent' },
    appState: { returnTo },
    ...(replace && { navigate: (url: string) => location.replace(url) }),
  })
}

/**
 * Where the round trip's `appState` says to go: a path of this app only (never `//evil.example` or
 * `/\evil.example`), so the callback page is no open redirect.
 */
export function returnTo(appState: unknown): string {
  const path = (appState as { returnTo?: unknown } | null)?.returnTo
  return typeof path === 'string' && /^\/(?![/\\])/.test(path) ? path : '/'
}
