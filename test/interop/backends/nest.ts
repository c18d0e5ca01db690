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

/** A NestJS @nestjs/jwt + passport-jwt API with refresh tokens as a Bearer, in Express (see servers/nest.mjs). */
export async function startNest(): Promise<Backend> {
  const server = await startServerProcess<Ready>('nestjs-jwt', process.execPath, nodeServer(fileURLToPath(new URL('../servers/nest.mjs', import.meta.url))))
  const { authBaseURL, resourceURL, credentials, accessTokenTtl } = server.ready
  const endpoints = { login: `${authBaseURL}/auth/login`, refresh: `${authBaseURL}/auth/refresh`, logout: `${authBaseURL}/auth/logout` }
  const post = poster()

  const backend: Backend = {
    name: 'nestjs-jwt',
    title: 'NestJS @nestjs/jwt + passport-jwt shape (Express + jsonwebtoken + express-jwt; refresh token as Bearer)',
    authBaseURL,
    endpoints,
    resourceURL,
    credentials,
    headers: {},
    accessTokenTtl,
    refreshWith: 'refreshToken',
    reuseIntervalSeconds: 0,
    notes: [
      'token answers are {access_token, refresh_token}: no expires_in',
      'refresh sends the refresh token as Authorization: Bearer, not in a body',
      'logout needs an unexpired access token; every refusal is 401 {"message":"Unauthorized","statusCode":401}',
    ],
    rawLogin: () => passwordLogin(post, endpoints.login, credentials, 'nest'),
    tokensOf: snakeCaseTokens,
    rawRefresh: (refreshToken) => post(endpoints.refresh, bearer(refreshToken)),
    rawLogout: (tokens) => post(endpoints.logout, bearer(tokens.accessToken)),
    rawResource: async (accessToken) => answer(await fetch(resourceURL, { headers: bearer(accessToken) })),
    acceptsRefresh: async (credential) => (await backend.rawRefresh(credential)).status === 200,
    acceptsAccess: async (accessToken) => (await backend.rawResource(accessToken)).status === 200,
    ...processControls(server),
  }
  return backend
}
