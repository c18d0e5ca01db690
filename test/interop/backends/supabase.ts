import { fileURLToPath } from 'node:url'
import { answer, bearer, passwordLogin, poster, processControls, snakeCaseTokens, type Backend } from '../harness/backend'
import { startServerProcess } from '../harness/child'
import { nodeServer } from './nodeServer'

interface Ready {
  authBaseURL: string
  resourceURL: string
  userURL: string
  apiKey: string
  credentials: Record<string, string>
  accessTokenTtl: number
  reuseIntervalSeconds: number
}

/** Supabase Auth (GoTrue) + the API gateway + one PostgREST table, in Express (see servers/supabase.mjs). */
export async function startSupabase(): Promise<Backend & { userURL: string }> {
  const server = await startServerProcess<Ready>('supabase-gotrue', process.execPath, nodeServer(fileURLToPath(new URL('../servers/supabase.mjs', import.meta.url))))
  const { authBaseURL, resourceURL, userURL, apiKey, credentials, accessTokenTtl, reuseIntervalSeconds } = server.ready
  const headers = { apikey: apiKey }
  const endpoints = {
    login: `${authBaseURL}/auth/v1/token?grant_type=password`,
    refresh: `${authBaseURL}/auth/v1/token?grant_type=refresh_token`,
    logout: `${authBaseURL}/auth/v1/logout`,
  }
  const post = poster(headers)

  const backend: Backend & { userURL: string } = {
    name: 'supabase-gotrue',
    title: 'Supabase Auth (GoTrue) shape (Express + jsonwebtoken; apikey gateway, PostgREST resource)',
    authBaseURL,
    endpoints,
    resourceURL,
    userURL,
    credentials,
    headers,
    accessTokenTtl,
    refreshWith: 'refreshToken',
    reuseIntervalSeconds,
    notes: [
      'every call needs the apikey header, the auth calls included',
      'refused refresh tokens answer 400 {"code":400,"error_code":"refresh_token_not_found"|"refresh_token_already_used",...}, not 401',
      `a rotated refresh token stays usable for ${reuseIntervalSeconds} s (and always while it is the parent of the active one)`,
      'GET /auth/v1/user answers 403 bad_jwt for an expired token (PostgREST, the resource here, answers 401)',
    ],
    rawLogin: () => passwordLogin(post, endpoints.login, credentials, 'supabase'),
    tokensOf: snakeCaseTokens,
    rawRefresh: (refreshToken) => post(endpoints.refresh, {}, { refresh_token: refreshToken }),
    rawLogout: (tokens) => post(endpoints.logout, bearer(tokens.accessToken)),
    rawResource: async (accessToken) => answer(await fetch(resourceURL, { headers: { ...headers, ...bearer(accessToken) } })),
    acceptsRefresh: async (credential) => (await backend.rawRefresh(credential)).status === 200,
    acceptsAccess: async (accessToken) => (await backend.rawResource(accessToken)).status === 200,
    ...processControls(server),
  }
  return backend
}
