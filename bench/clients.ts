import axios, { type AxiosInstance } from 'axios'
import { createAuthRefresh } from 'axios-auth-refresh'
import { applyAuthTokenInterceptor, setAuthTokens, type StorageType } from 'axios-jwt'
import { createAuthClient, memoryStorage, type AuthClient, type TokenStorage } from '@tokenrail/core'
import { attachAxios } from '@tokenrail/core/axios'
import { ORIGIN, type FakeServer, type TokenPair } from './fakeServer'

/** One way of sending authenticated requests, set up on a fake server with a logged-in token pair. */
export interface ClientUnderTest {
  /** One GET of `path`: true when it ended in a 2xx, false for any other status or a rejection. */
  get(path: string): Promise<boolean>
  /** What a leak check looks at from outside (axios interceptors still registered). */
  interceptors?(): number
  /** The tokenrail client, when there is one (for `destroy()`). */
  auth?: AuthClient
  /** Calls into the token storage so far, when the bench can see them (tokenrail's storage option). */
  storageCalls?(): number
}

export interface ClientSetup {
  name: string
  /** Which requests it sends: through axios, or through a `fetch` function. */
  transport: 'axios' | 'fetch'
  /** Whether it puts a Bearer token on the request at all (the bare rows do not, and call a public route). */
  authenticated: boolean
  create(server: FakeServer, tokens: TokenPair): Promise<ClientUnderTest>
}

const succeeded = () => true
const failed = () => false

function axiosOn(server: FakeServer): AxiosInstance {
  return axios.create({ baseURL: ORIGIN, adapter: server.axiosAdapter })
}

const countInterceptors = (instance: AxiosInstance) => () => {
  // axios keeps ejected interceptors as null slots; a handler that is still there counts.
  const { request, response } = instance.interceptors as unknown as Record<'request' | 'response', { handlers: unknown[] }>
  return request.handlers.filter(Boolean).length + response.handlers.filter(Boolean).length
}

function overAxios(instance: AxiosInstance, tokenrail?: TokenrailClient): ClientUnderTest {
  return {
    get: (path) => instance.get(path).then(succeeded, failed),
    interceptors: countInterceptors(instance),
    ...tokenrail,
  }
}

interface TokenrailClient {
  auth: AuthClient
  storageCalls(): number
}

/** The default memory storage, counting the calls made to it: a request must never read or write storage. */
function countedMemoryStorage() {
  const storage = memoryStorage()
  let calls = 0
  const counted: TokenStorage = {
    get: (key) => (calls++, storage.get(key)),
    set: (tokens, key) => (calls++, storage.set(tokens, key)),
    clear: (key) => (calls++, storage.clear(key)),
  }
  return { storage: counted, calls: () => calls }
}

function tokenrailClient(server: FakeServer, tokens: TokenPair): TokenrailClient {
  // A Node app's defaults (memory storage, no timer, no cross-tab channel); the refresh goes through `fetch`.
  const { storage, calls } = countedMemoryStorage()
  const auth = createAuthClient({ baseURL: ORIGIN, fetch: server.fetch, storage })
  auth.setTokens(tokens)
  return { auth, storageCalls: calls }
}

/** (a) axios with no authentication at all: the ceiling. */
export const bareAxios: ClientSetup = {
  name: 'axios, no auth',
  transport: 'axios',
  authenticated: false,
  create: async (server) => overAxios(axiosOn(server)),
}

/** (b) The floor every auth library is measured against: one request interceptor that sets the header. */
export const bearerAxios: ClientSetup = {
  name: 'axios + hand-written bearer',
  transport: 'axios',
  authenticated: true,
  async create(server, tokens) {
    const instance = axiosOn(server)
    instance.interceptors.request.use((config) => {
      config.headers.Authorization = `Bearer ${tokens.accessToken}`
      return config
    })
    return overAxios(instance)
  },
}

/** (c) tokenrail: `attachAxios` over a client holding the tokens. */
export const tokenrailAxios: ClientSetup = {
  name: 'tokenrail attachAxios',
  transport: 'axios',
  authenticated: true,
  async create(server, tokens) {
    const tokenrail = tokenrailClient(server, tokens)
    const instance = axiosOn(server)
    attachAxios(tokenrail.auth, instance)
    return overAxios(instance, tokenrail)
  },
}

/**
 * (d) axios-auth-refresh as its README sets it up: a request interceptor that reads the current token, and a
 * refresh function on a second instance that stores the rotated pair and rewrites the failed request's header.
 */
export const axiosAuthRefresh: ClientSetup = {
  name: 'axios-auth-refresh 5.0.2',
  transport: 'axios',
  authenticated: true,
  async create(server, tokens) {
    let current = { ...tokens }
    const instance = axiosOn(server)
    const refresher = axiosOn(server)
    createAuthRefresh(instance, (failedRequest: { response: { config: { headers: Record<string, string> } } }) =>
      refresher.post<TokenPair>('/auth/refresh', { refreshToken: current.refreshToken }).then((answer) => {
        current = answer.data
        failedRequest.response.config.headers['Authorization'] = `Bearer ${current.accessToken}`
      }),
    )
    instance.interceptors.request.use((config) => {
      config.headers['Authorization'] = `Bearer ${current.accessToken}`
      return config
    })
    return overAxios(instance)
  },
}

/**
 * (e) axios-jwt as its README sets it up, with the one change Node needs: its storage. Its default is
 * `localStorage`, which Node does not have; its `getStorage` option takes any `{ get, set, remove }` of
 * promises, so it gets a Map, the same as tokenrail's default memory storage. Its state is module-wide (one
 * storage and one refresh in flight per process), so only one axios-jwt client may be in use at a time.
 */
export const axiosJwt: ClientSetup = {
  name: 'axios-jwt 4.0.3',
  transport: 'axios',
  authenticated: true,
  async create(server, tokens) {
    const memory = new Map<string, string>()
    const storage: StorageType = {
      get: async (key) => memory.get(key) ?? null,
      set: async (key, value) => void memory.set(key, value),
      remove: async (key) => void memory.delete(key),
    }
    const instance = axiosOn(server)
    const refresher = axiosOn(server)
    applyAuthTokenInterceptor(instance, {
      getStorage: () => storage,
      requestRefresh: async (refreshToken) => {
        const { data } = await refresher.post<TokenPair>('/auth/refresh', { refreshToken })
        return { accessToken: data.accessToken, refreshToken: data.refreshToken }
      },
    })
    await setAuthTokens({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken })
    return overAxios(instance)
  },
}

/** A `fetch` with no authentication, on the same fake server. */
export const bareFetch: ClientSetup = {
  name: 'fetch, no auth',
  transport: 'fetch',
  authenticated: false,
  async create(server) {
    return { get: (path) => server.fetch(`${ORIGIN}${path}`).then((response) => response.ok, failed) }
  },
}

/** The fetch floor: the header written by hand. */
export const bearerFetch: ClientSetup = {
  name: 'fetch + hand-written bearer',
  transport: 'fetch',
  authenticated: true,
  async create(server, tokens) {
    return {
      get: (path) =>
        server
          .fetch(`${ORIGIN}${path}`, { headers: { authorization: `Bearer ${tokens.accessToken}` } })
          .then((response) => response.ok, failed),
    }
  },
}

/** tokenrail's `auth.fetch` over the same fake `fetch`. */
export const tokenrailFetch: ClientSetup = {
  name: 'tokenrail auth.fetch',
  transport: 'fetch',
  authenticated: true,
  async create(server, tokens) {
    const tokenrail = tokenrailClient(server, tokens)
    return { get: (path) => tokenrail.auth.fetch(`${ORIGIN}${path}`).then((response) => response.ok, failed), ...tokenrail }
  },
}

/** The libraries compared in the correctness scenarios (storm, late 401). */
export const authLibraries = [tokenrailAxios, tokenrailFetch, axiosAuthRefresh, axiosJwt]
