import type { AuthClientOptions } from '@tokenrail/core'
import { discover } from '@tokenrail/core/oauth2'

// A standard OAuth 2 / OpenID Connect server (Keycloak, Auth0, Okta, Entra ID, Cognito, Ory, node
// oidc-provider), its endpoints read from its discovery metadata. The first tokens come from its login page
// (a redirect login, or setTokens with what the code exchange answered); tokenrail refreshes, rotates and
// revokes from there. `api` is the API the access tokens are for: its origin gets the Bearer header, and
// its URL is the resource indicator (RFC 8707) each refresh asks for.
export async function oauthServer(issuer: string, api: string, clientId = 'spa'): Promise<AuthClientOptions> {
  return {
    ...(await discover(issuer, {
      clientId,
      resource: api,
      // Plain http on a loopback address only, for a provider run by tests or a local example.
      allowInsecureRequests: new URL(issuer).protocol === 'http:',
    })),
    allowedOrigins: [new URL(api).origin],
  }
}
