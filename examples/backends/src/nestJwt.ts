import type { AuthClientOptions } from '@tokenrail/core'

// A NestJS-style API (@nestjs/jwt with passport-jwt guides): { access_token, refresh_token } answers, the refresh
// token sent as a Bearer header to /auth/refresh, logout with the access token.
export const nestJwt = (baseURL: string): AuthClientOptions => ({
  baseURL,
  requests: {
    refresh: ({ refreshToken }) => ({ headers: { authorization: `Bearer ${refreshToken}` }, body: null }),
    logout: ({ accessToken }) => ({ headers: { authorization: `Bearer ${accessToken}` }, body: null }),
  },
})
