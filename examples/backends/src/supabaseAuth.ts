import type { AuthClientOptions } from '@tokenrail/core'

// Supabase Auth (GoTrue): every call carries the project's public `apikey`; refusals are 400s with an
// error_code, which the default `refused` (400 or 401) reads as the end of the session.
export const supabaseAuth = (projectURL: string, apikey: string): AuthClientOptions => ({
  baseURL: projectURL,
  endpoints: {
    login: '/auth/v1/token?grant_type=password',
    refresh: '/auth/v1/token?grant_type=refresh_token',
    logout: '/auth/v1/logout',
  },
  requests: {
    login: (credentials) => ({ headers: { apikey }, body: credentials }), // { email, password }
    refresh: ({ refreshToken }) => ({ headers: { apikey }, body: { refresh_token: refreshToken } }),
    logout: ({ accessToken }) => ({ headers: { apikey, authorization: `Bearer ${accessToken}` } }),
  },
})
