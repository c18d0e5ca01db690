import { describe, expectTypeOf, it } from 'vitest'
import {
  createAuthClient,
  isSessionExpiredError,
  memoryStorage,
  webStorage,
  type AuthClient,
  type AuthState,
  type SessionExpiredError,
  type TokenStorage,
} from '../src'

describe('public types', () => {
  const auth = createAuthClient({ baseURL: 'https://api.example.com' })

  it('createAuthClient requires a baseURL and returns an AuthClient', () => {
    expectTypeOf(createAuthClient).parameter(0).toHaveProperty('baseURL').toEqualTypeOf<string>()
    // @ts-expect-error baseURL is required
    createAuthClient({})
    expectTypeOf(auth).toEqualTypeOf<AuthClient>()
  })

  it('getState is a snapshot with a closed set of statuses', () => {
    expectTypeOf(auth.getState()).toEqualTypeOf<AuthState>()
    expectTypeOf(auth.getState().status).toEqualTypeOf<'loading' | 'authenticated' | 'unauthenticated'>()
    expectTypeOf(auth.getState().accessToken).toEqualTypeOf<string | null>()
  })

  it('events carry typed payloads', () => {
    auth.on('sessionExpired', (error) => expectTypeOf(error).toEqualTypeOf<SessionExpiredError>())
    auth.on('login', (state) => expectTypeOf(state).toEqualTypeOf<AuthState>())
    // @ts-expect-error unknown event
    auth.on('unknown', () => undefined)
    expectTypeOf(auth.on('logout', () => undefined)).toEqualTypeOf<() => void>()
  })

  it('the user type can be given', () => {
    type User = { sub: string; roles: string[] }
    const typed = createAuthClient<User>({ baseURL: 'https://api.example.com' })
    expectTypeOf(typed.getState().user).toEqualTypeOf<User | null>()
  })

  it('the credentials type can be given, and login() then takes only that', () => {
    type Credentials = { username: string; password: string }
    const typed: AuthClient<{ sub: string }, Credentials> = createAuthClient<{ sub: string }>({ baseURL: 'https://api.example.com' })
    expectTypeOf(typed.login).parameter(0).toEqualTypeOf<Credentials>()
    // @ts-expect-error a password is missing
    void typed.login({ username: 'demo' })
    // without it, login() takes anything, as before
    expectTypeOf(auth.login).parameter(0).toEqualTypeOf<unknown>()
  })

  it('fetch takes skipAuth and answers a Response', () => {
    expectTypeOf(auth.fetch('/x', { skipAuth: true })).toEqualTypeOf<Promise<Response>>()
    expectTypeOf(auth.getAccessToken()).toEqualTypeOf<Promise<string | null>>()
  })

  it('storages are TokenStorage, and guards narrow', () => {
    expectTypeOf(memoryStorage()).toMatchTypeOf<TokenStorage>()
    expectTypeOf(webStorage(() => localStorage)).toMatchTypeOf<TokenStorage>()
    const error: unknown = new Error()
    if (isSessionExpiredError(error)) expectTypeOf(error).toEqualTypeOf<SessionExpiredError>()
  })
})
