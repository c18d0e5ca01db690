import axios, { type AxiosInstance } from 'axios'
import { createAuthRefresh } from 'axios-auth-refresh'
import {
  applyAuthTokenInterceptor,
  clearAuthTokens,
  getAccessToken,
  getRefreshToken,
  isLoggedIn,
  setAuthTokens,
  type StorageType,
} from 'axios-jwt'
import type { Backend, BackendName } from './harness/backend'
import { outcomeOfAxios, type ClientContext, type ClientUnderTest, type LibraryDrivers } from './harness/client'

// The two peer libraries, each set up on each backend the way its README shows: a login that stores the tokens,
// a refresh function written for that backend's wire, and the README's logout. Nothing beyond the READMEs: where a
// library cannot do something, the table says so.

interface Pair {
  accessToken: string
  refreshToken?: string
}

/**
 * How an app talks to one backend with axios, written once per backend and used by both peers: the login call,
 * the refresh call (what a README's "refresh function" posts), each returning the pair from that backend's JSON.
 */
interface Wire {
  login(http: AxiosInstance, ctx: ClientContext): Promise<Pair>
  refresh(http: AxiosInstance, current: Pair, ctx: ClientContext): Promise<Pair>
}

const snake = (data: { access_token: string; refresh_token?: string }): Pair => ({ accessToken: data.access_token, refreshToken: data.refresh_token })
const bearer = (token: string | undefined) => ({ Authorization: `Bearer ${token}` })

const WIRES: Record<BackendName, Wire> = {
  'oidc-provider': {
    // The first tokens come from the redirect flow, which neither library does; the harness walks it.
    login: async (_http, { backend }) => snake((await backend.rawLogin()) as { access_token: string; refresh_token: string }),
    refresh: async (http, current, { backend, clientId }) => {
      const oauth = backend.oauth!
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: current.refreshToken ?? '', client_id: clientId ?? oauth.clientId, resource: oauth.resource })
      return snake((await http.post(oauth.tokenEndpoint, form)).data)
    },
  },
  'django-simplejwt': {
    login: async (http, { backend }) => {
      const { data } = await http.post(backend.endpoints.login!, backend.credentials)
      return { accessToken: data.access, refreshToken: data.refresh }
    },
    refresh: async (http, current, { backend }) => {
      const { data } = await http.post(backend.endpoints.refresh, { refresh: current.refreshToken })
      return { accessToken: data.access, refreshToken: data.refresh }
    },
  },
  'laravel-jwt-auth': {
    login: async (http, { backend }) => snake((await http.post(backend.endpoints.login!, backend.credentials)).data),
    // jwt-auth refreshes the access token itself; there is no refresh token to send.
    refresh: async (http, current, { backend }) => snake((await http.post(backend.endpoints.refresh, null, { headers: bearer(current.accessToken) })).data),
  },
  'nestjs-jwt': {
    login: async (http, { backend }) => snake((await http.post(backend.endpoints.login!, backend.credentials)).data),
    refresh: async (http, current, { backend }) => snake((await http.post(backend.endpoints.refresh, null, { headers: bearer(current.refreshToken) })).data),
  },
  'supabase-gotrue': {
    login: async (http, { backend }) => snake((await http.post(backend.endpoints.login!, backend.credentials)).data),
    refresh: async (http, current, { backend }) => snake((await http.post(backend.endpoints.refresh, { refresh_token: current.refreshToken })).data),
  },
}

/** An axios instance for one backend: its own headers (Supabase's apikey) on every call, as an app would set them. */
const axiosFor = (backend: Backend) => axios.create({ headers: { ...backend.headers } })

/**
 * axios-auth-refresh 5.0.2 as its README sets it up: the app keeps the tokens; a request interceptor reads the
 * current access token; `createAuthRefresh` runs the refresh function on a 401, on a second instance, which stores
 * the new pair and rewrites the failed request's header. It has no session and no logout of its own: the app's
 * logout here forgets its tokens, as nothing in the README revokes them.
 */
function axiosAuthRefreshClient(wire: Wire): (ctx: ClientContext) => Promise<ClientUnderTest> {
  return async (ctx) => {
    let current: Pair | undefined
    const instance = axiosFor(ctx.backend)
    const refresher = axiosFor(ctx.backend)
    createAuthRefresh(instance, async (failedRequest: { response: { config: { headers: Record<string, string> } } }) => {
      current = await wire.refresh(refresher, current!, ctx)
      failedRequest.response.config.headers['Authorization'] = `Bearer ${current.accessToken}`
    })
    instance.interceptors.request.use((config) => {
      if (current) config.headers['Authorization'] = `Bearer ${current.accessToken}`
      return config
    })
    return {
      login: async () => void (current = await wire.login(refresher, ctx)),
      get: (url) => outcomeOfAxios(instance.get(url), url),
      logout: async () => void (current = undefined),
      tokens: async () => ({ ...current }),
      session: async () => 'unknown',
      reports: () => [],
      destroy: () => undefined,
    }
  }
}

/**
 * axios-jwt 4.0.3 as its README sets it up: `applyAuthTokenInterceptor` with a `requestRefresh` that returns both
 * tokens (the README's form for rotating backends), `setAuthTokens` after login, `clearAuthTokens` as logout. Node
 * has no localStorage, so it gets a Map through its `getStorage` option (`StorageType`), as its README allows. Its
 * state is module-wide (one storage, one refresh in flight per process): one axios-jwt client at a time.
 */
function axiosJwtClient(wire: Wire): (ctx: ClientContext) => Promise<ClientUnderTest> {
  return async (ctx) => {
    const memory = new Map<string, string>()
    const storage: StorageType = {
      get: async (key) => memory.get(key) ?? null,
      set: async (key, value) => void memory.set(key, value),
      remove: async (key) => void memory.delete(key),
    }
    const instance = axiosFor(ctx.backend)
    const refresher = axiosFor(ctx.backend)
    applyAuthTokenInterceptor(instance, {
      getStorage: () => storage,
      requestRefresh: async (refreshToken) => {
        const accessToken = await getAccessToken()
        const pair = await wire.refresh(refresher, { accessToken: accessToken ?? '', refreshToken }, ctx)
        return { accessToken: pair.accessToken, refreshToken: pair.refreshToken ?? refreshToken }
      },
    })
    return {
      async login() {
        const pair = await wire.login(refresher, ctx)
        await setAuthTokens({ accessToken: pair.accessToken, refreshToken: pair.refreshToken! })
      },
      get: (url) => outcomeOfAxios(instance.get(url), url),
      logout: () => clearAuthTokens(),
      tokens: async () => ({ accessToken: (await getAccessToken()) ?? undefined, refreshToken: (await getRefreshToken()) ?? undefined }),
      session: async () => ((await isLoggedIn()) ? 'active' : 'ended'),
      reports: () => [],
      destroy: () => undefined,
    }
  }
}

/**
 * What each peer does, read from its source (axios-auth-refresh 5.0.2 dist/index.esm.js, axios-jwt 4.0.3
 * dist/src/authTokenInterceptor.js), printed under the table so that its fails can be told apart.
 */
export const PEER_NOTES: Record<'axios-auth-refresh' | 'axios-jwt', string[]> = {
  'axios-auth-refresh': [
    'refreshes only after a 401 (statusCodes), never before sending',
    'while a refresh runs, requests started meanwhile wait for it, but a 401 that comes back meanwhile is rejected, not retried',
    'has no session and no logout: ending the session and revoking tokens is left to the app',
  ],
  'axios-jwt': [
    'refreshes only before sending, when the access token\'s exp (on the client clock) is within tokenExpireFudge (10 s); a 401 is never retried',
    'sends no Authorization header at all while it holds no refresh token (so never against jwt-auth, which issues none)',
    'clears its tokens only when the refresh answers 401 or 422; a 400 (OAuth invalid_grant, GoTrue) leaves the dead session in place',
    'its logout (clearAuthTokens) only clears storage; its state is module-wide (one storage per process)',
  ],
}

const perBackend = (make: (wire: Wire) => (ctx: ClientContext) => Promise<ClientUnderTest>): LibraryDrivers =>
  Object.fromEntries(Object.entries(WIRES).map(([name, wire]) => [name, make(wire)]))

export const axiosAuthRefresh: LibraryDrivers = perBackend(axiosAuthRefreshClient)
export const axiosJwt: LibraryDrivers = perBackend(axiosJwtClient)
