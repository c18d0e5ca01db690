import { fileURLToPath } from 'node:url'
import { answer, bearer, processControls, snakeCaseTokens, type Backend } from '../harness/backend'
import { startServerProcess } from '../harness/child'
import { authorizationCodeFlow } from '../harness/oauthFlow'
import { nodeServer } from './nodeServer'

interface Ready {
  authBaseURL: string
  resourceURL: string
  accessTokenTtl: number
  oauth: { issuer: string; clientId: string; redirectUri: string; scope: string; resource: string }
}

/** node oidc-provider 9 (public client, PKCE, rotation, RFC 7009, RFC 8707 JWT access tokens) and a jose API. */
export async function startOidcProvider(): Promise<Backend> {
  const server = await startServerProcess<Ready>('oidc-provider', process.execPath, nodeServer(fileURLToPath(new URL('../servers/oidc.mjs', import.meta.url))))
  const { authBaseURL, resourceURL, accessTokenTtl } = server.ready
  const oauth = {
    ...server.ready.oauth,
    tokenEndpoint: `${authBaseURL}/token`,
    revocationEndpoint: `${authBaseURL}/token/revocation`,
  }
  const form = (fields: Record<string, string>) => ({ method: 'POST', body: new URLSearchParams(fields) })

  const backend: Backend = {
    name: 'oidc-provider',
    title: 'node oidc-provider 9.13 (OAuth 2 / OIDC, public client + PKCE, RFC 8707 JWT access tokens)',
    authBaseURL,
    endpoints: { refresh: oauth.tokenEndpoint, logout: oauth.revocationEndpoint },
    resourceURL,
    headers: {},
    accessTokenTtl,
    refreshWith: 'refreshToken',
    reuseIntervalSeconds: 0,
    oauth,
    notes: [
      'offline_access (a refresh token) is only granted with prompt=consent in the authorization request',
      'refresh with scope openid and no resource parameter yields an opaque userinfo token, not the API JWT (useGrantedResource defaults to false): send resource on refresh',
      'reuse of a rotated refresh token answers invalid_grant and revokes the whole grant',
      'refresh with an unknown client_id answers 401 invalid_client',
    ],
    rawLogin: () => authorizationCodeFlow({ ...oauth, login: 'alice' }),
    tokensOf: snakeCaseTokens,
    rawRefresh: async (refreshToken, options = {}) =>
      answer(
        await fetch(
          oauth.tokenEndpoint,
          form({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: options.clientId ?? oauth.clientId, resource: oauth.resource }),
        ),
      ),
    rawLogout: async (tokens) =>
      answer(
        await fetch(
          oauth.revocationEndpoint,
          form({ token: tokens.refreshToken ?? tokens.accessToken, token_type_hint: tokens.refreshToken ? 'refresh_token' : 'access_token', client_id: oauth.clientId }),
        ),
      ),
    rawResource: async (accessToken) => answer(await fetch(resourceURL, { headers: bearer(accessToken) })),
    acceptsRefresh: async (credential) => (await backend.rawRefresh(credential)).status === 200,
    acceptsAccess: async (accessToken) => (await backend.rawResource(accessToken)).status === 200,
    ...processControls(server),
  }
  return backend
}
