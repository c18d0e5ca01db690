import { attachAxios } from '@tokenrail/core/axios'
import axios from 'axios'
import { createAuthClient, memoryStorage, type AuthClientOptions, type TokenSet } from '@tokenrail/core'
import { djangoSimpleJwt } from '../../examples/backends/src/djangoSimpleJwt'
import { laravelJwtAuth } from '../../examples/backends/src/laravelJwtAuth'
import { nestJwt } from '../../examples/backends/src/nestJwt'
import { oauthServer } from '../../examples/backends/src/oauthServer'
import { supabaseAuth } from '../../examples/backends/src/supabaseAuth'
import type { Backend, BackendName } from './harness/backend'
import { describeError, outcomeOfAxios, outcomeOfFetch, type ClientContext, type ClientUnderTest, type ErrorReport, type LibraryDrivers } from './harness/client'

// tokenrail on each backend: the client options are the recipes the root README shows (examples/backends, the
// same files), with nothing added but a storage the harness can read the refresh token from. No custom fetch:
// the auth calls go through Node's own.

/** Each backend's recipe, given what the running server told the harness (its URLs, its apikey). */
const RECIPES: Record<BackendName, (ctx: ClientContext) => AuthClientOptions | Promise<AuthClientOptions>> = {
  'oidc-provider': ({ backend, clientId }) => oauthServer(backend.oauth!.issuer, backend.oauth!.resource, clientId ?? backend.oauth!.clientId),
  'django-simplejwt': ({ backend }) => djangoSimpleJwt(backend.authBaseURL),
  'laravel-jwt-auth': ({ backend }) => laravelJwtAuth(backend.authBaseURL),
  'nestjs-jwt': ({ backend }) => nestJwt(backend.authBaseURL),
  'supabase-gotrue': ({ backend }) => supabaseAuth(backend.authBaseURL, backend.headers.apikey!),
}

type Adapter = 'fetch' | 'axios'

function tokenrailClient(name: BackendName, adapter: Adapter) {
  return async (ctx: ClientContext): Promise<ClientUnderTest> => {
    const { backend } = ctx
    const storage = memoryStorage()
    const auth = createAuthClient({ ...(await RECIPES[name](ctx)), storage })
    const reports: ErrorReport[] = []
    let ended = false
    auth.on('error', (error) => void reports.push(describeError(error)))
    auth.on('sessionExpired', () => void (ended = true))
    auth.on('login', () => void (ended = false))
    // The app's own headers for its API (Supabase's apikey): tokenrail adds only the Bearer.
    const instance = axios.create({ headers: { ...backend.headers } })
    const detach = adapter === 'axios' ? attachAxios(auth, instance) : () => undefined
    return {
      login: () => firstSession(auth, backend),
      get: (url) => (adapter === 'fetch' ? outcomeOfFetch(auth.fetch(url, { headers: backend.headers })) : outcomeOfAxios(instance.get(url), url)),
      logout: () => auth.logout(),
      async tokens() {
        const stored = (await storage.get('')) as TokenSet | null
        return { accessToken: auth.getState().accessToken ?? undefined, refreshToken: stored?.refreshToken }
      },
      session: async () => (ended || auth.getState().status === 'unauthenticated' ? 'ended' : 'active'),
      reports: () => reports,
      destroy() {
        detach()
        auth.destroy()
      },
    }
  }
}

/** A password login where the backend has one; for OAuth, the tokens the code exchange answered, handed over. */
async function firstSession(auth: ReturnType<typeof createAuthClient>, backend: Backend) {
  if (backend.credentials) await auth.login(backend.credentials)
  else auth.setTokens(await backend.rawLogin())
}

const everyBackend = (adapter: Adapter): LibraryDrivers =>
  Object.fromEntries((Object.keys(RECIPES) as BackendName[]).map((name) => [name, tokenrailClient(name, adapter)]))

/** "tokenrail (auth.fetch)": a client per backend whose requests go through `auth.fetch`. */
export const tokenrailFetch: LibraryDrivers = everyBackend('fetch')

/** "tokenrail (attachAxios)": a client per backend whose requests go through an axios instance with `attachAxios`. */
export const tokenrailAxios: LibraryDrivers = everyBackend('axios')
