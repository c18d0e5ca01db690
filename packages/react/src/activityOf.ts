import type { AuthClient, AuthError, AuthState } from '@tokenrail/core'

/** What the bindings add to the client's state: the last error the client reported, and logins under way. */
export interface Activity {
  error: AuthError | null
  isLoggingIn: boolean
}

/** A client, its activity as a store for `useSyncExternalStore`, and the actions the hooks hand out. */
export interface ActivityStore {
  client: AuthClient<unknown, unknown>
  get(): Activity
  subscribe(listener: () => void): () => void
  login(credentials: unknown): Promise<AuthState<unknown>>
  logout(): Promise<void>
  getAccessToken(): Promise<string | null>
}

/** What the server renders and hydration starts from: nothing failed there that the browser should show. */
export const IDLE: Activity = { error: null, isLoggingIn: false }

const stores = new WeakMap<AuthClient<unknown, unknown>, ActivityStore>()

/**
 * One store per client, however many providers or renders ask (StrictMode renders twice): it listens to the
 * client's `error`, `sessionExpired` and `login` events from the first ask on, and lives as long as the client.
 * The actions are made here once, so they keep their identity across renders and providers.
 */
export function activityOf(client: AuthClient<unknown, unknown>): ActivityStore {
  let store = stores.get(client)
  if (!store) {
    let state = IDLE
    let logins = 0
    const listeners = new Set<() => void>()
    // No equality check: each call changes the logins under way, or comes with an event that changed the
    // client's state too (React renders both changes in one go), so a check would save no render worth its bytes.
    const update = (error = state.error, started = 0) => {
      state = { error, isLoggingIn: (logins += started) > 0 }
      listeners.forEach((listener) => listener())
    }
    client.on('error', update)
    client.on('sessionExpired', update)
    // Any login clears the error: this one, another tab's, or tokens handed over with setTokens.
    client.on('login', () => update(null))
    stores.set(
      client,
      (store = {
        client,
        get: () => state,
        subscribe: (listener) => (listeners.add(listener), () => listeners.delete(listener)),
        // login() rejects with an AuthError only (LoginError, NetworkError, or a logout that came first).
        login(credentials) {
          update(undefined, 1)
          return client.login(credentials).then(
            (result) => (update(undefined, -1), result),
            (error: AuthError) => {
              update(error, -1)
              throw error
            },
          )
        },
        logout: () => client.logout(),
        getAccessToken: () => client.getAccessToken(),
      }),
    )
  }
  return store
}
