import type { AuthClientOptions } from '@tokenrail/core'

// Django REST framework with djangorestframework-simplejwt, its URLs as its docs set them up (token_blacklist
// installed for logout; rotation and blacklisting after rotation work as they are).
export const djangoSimpleJwt = (baseURL: string): AuthClientOptions => ({
  baseURL,
  endpoints: { login: '/api/token/', refresh: '/api/token/refresh/', logout: '/api/token/blacklist/' },
  requests: {
    refresh: ({ refreshToken }) => ({ body: { refresh: refreshToken } }),
    logout: ({ refreshToken }) => ({ body: { refresh: refreshToken } }),
  },
  parseTokens: (body) => {
    const { access, refresh } = body as { access: string; refresh?: string }
    return { accessToken: access, refreshToken: refresh }
  },
})
