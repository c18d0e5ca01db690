import type { AuthClientOptions } from '@tokenrail/core'

// tokenrail's own mock server (and any backend with the same wire): POST JSON credentials to /auth/login,
// { refreshToken } to /auth/refresh and /auth/logout, answers { accessToken, refreshToken, expiresIn }.
// The defaults say all of that; nothing to write.
export const mockServer = (baseURL: string): AuthClientOptions => ({ baseURL })
