import type { AuthClientOptions } from '@tokenrail/core'

// Laravel with tymon/jwt-auth: there is no refresh token; a refresh sends the access token itself (even an
// expired one, within refresh_ttl) and gets a new one, the old one blacklisted.
export const laravelJwtAuth = (baseURL: string): AuthClientOptions => ({
  baseURL,
  endpoints: { login: '/api/auth/login', refresh: '/api/auth/refresh', logout: '/api/auth/logout' },
  requests: {
    refresh: ({ accessToken }) => ({ headers: { authorization: `Bearer ${accessToken}` }, body: null }),
    logout: ({ accessToken }) => ({ headers: { authorization: `Bearer ${accessToken}` }, body: null }),
  },
})
