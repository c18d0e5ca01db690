import { fileURLToPath } from 'node:url'
import { answer, bearer, passwordLogin, poster, processControls, snakeCaseTokens, type Backend } from '../harness/backend'
import { startServerProcess } from '../harness/child'
import { nodeServer } from './nodeServer'

interface Ready {
  authBaseURL: string
  resourceURL: string
  credentials: Record<string, string>
  accessTokenTtl: number
}

/** Laravel + tymon/jwt-auth 2.x's quick start, in Express (see servers/laravel.mjs for what is kept). */
export async function startLaravel(): Promise<Backend> {
  const server = await startServerProcess<Ready>('laravel-jwt-auth', process.execPath, nodeServer(fileURLToPath(new URL('../servers/laravel.mjs', import.meta.url))))
  const { authBaseURL, resourceURL, credentials, accessTokenTtl } = server.ready
  const endpoints = { login: `${authBaseURL}/api/auth/login`, refresh: `${authBaseURL}/api/auth/refresh`, logout: `${authBaseURL}/api/auth/logout` }
  const post = poster({ accept: 'application/json' })

  const backend: Backend = {
    name: 'laravel-jwt-auth',
    title: 'Laravel tymon/jwt-auth 2.x shape (Express + jsonwebtoken + express-jwt; no refresh token)',
    authBaseURL,
    endpoints,
    resourceURL,
    credentials,
    headers: {},
    accessTokenTtl,
    refreshWith: 'accessToken',
    reuseIntervalSeconds: 0,
    notes: [
      'no refresh token: refresh sends the (possibly expired) access token as Bearer and blacklists it',
      'a refreshed token keeps the first login\'s iat, so exp - iat grows with every refresh',
      'logout needs an unexpired access token (auth:api); an expired one answers 401 and stays refreshable',
    ],
    rawLogin: () => passwordLogin(post, endpoints.login, credentials, 'laravel'),
    tokensOf: snakeCaseTokens,
    rawRefresh: (accessToken) => post(endpoints.refresh, bearer(accessToken)),
    rawLogout: (tokens) => post(endpoints.logout, bearer(tokens.accessToken)),
    rawResource: async (accessToken) => answer(await fetch(resourceURL, { headers: { accept: 'application/json', ...bearer(accessToken) } })),
    acceptsRefresh: async (credential) => (await backend.rawRefresh(credential)).status === 200,
    acceptsAccess: async (accessToken) => (await backend.rawResource(accessToken)).status === 200,
    ...processControls(server),
  }
  return backend
}
