import { describe, expectTypeOf, it } from 'vitest'
import {
  AuthProvider,
  createAuthClient,
  getAuthSnapshot,
  RequireAuth,
  useAccessToken,
  useAuth,
  useAuthClient,
  useAuthState,
  useUser,
  type AuthClient,
  type AuthError,
  type AuthSnapshot,
  type AuthState,
  type AuthStatus,
  type Claims,
  type RegisteredClient,
  type RegisteredCredentials,
  type RegisteredUser,
} from '../src/index'

interface Me {
  sub: string
  name: string
}

interface Credentials {
  username: string
  password: string
}

describe('public types', () => {
  it('useAuthState returns what the selector returns, and isEqual compares selections', () => {
    expectTypeOf(useAuthState((state) => state.status)).toEqualTypeOf<AuthStatus>()
    expectTypeOf(useAuthState((state: AuthState<Me>) => state.user?.name)).toEqualTypeOf<string | undefined>()
    // The example in useAuthState's documentation, as written there.
    const sameRoles = (a: string[], b: string[]) => a.length === b.length && a.every((role, i) => role === b[i])
    const roles = useAuthState((state: AuthState<{ roles: string[] }>) => state.user?.roles ?? [], sameRoles)
    expectTypeOf(roles).toEqualTypeOf<string[]>()
    // @ts-expect-error isEqual receives selections, not numbers
    useAuthState((state) => state.status, (a: number, b: number) => a === b)
  })

  it('the user type defaults to the token claims and can be named', () => {
    expectTypeOf(useUser()).toEqualTypeOf<Claims | null>()
    expectTypeOf(useUser<Me>()).toEqualTypeOf<Me | null>()
    expectTypeOf(useAuth<Me>().user).toEqualTypeOf<Me | null>()
    expectTypeOf(useAuth<Me>().login).returns.resolves.toEqualTypeOf<AuthState<Me>>()
    expectTypeOf(useAuthClient<Me>()).toEqualTypeOf<AuthClient<Me>>()
  })

  it('useAuth exposes no token', () => {
    expectTypeOf(useAuth()).not.toHaveProperty('accessToken')
  })

  it('AuthProvider needs a client; RequireAuth takes nodes', () => {
    expectTypeOf(AuthProvider<Me>).parameter(0).toHaveProperty('client').toEqualTypeOf<AuthClient<Me>>()
    expectTypeOf(RequireAuth).parameter(0).toHaveProperty('fallback').toEqualTypeOf<React.ReactNode>()
  })

  it('createAuthClient takes the user and credentials types once, and login() then takes only those credentials', () => {
    const auth = createAuthClient<Me, Credentials>({ baseURL: 'https://api.example.com' })
    expectTypeOf(auth).toEqualTypeOf<AuthClient<Me, Credentials>>()
    expectTypeOf(auth.login).parameter(0).toEqualTypeOf<Credentials>()
    // @ts-expect-error the password is missing
    void auth.login({ username: 'demo' })
    expectTypeOf(createAuthClient({ baseURL: '/' })).toEqualTypeOf<AuthClient<Claims, unknown>>()
  })

  it('the hooks take the credentials type too; without a registered client it is unknown', () => {
    expectTypeOf(useAuth<Me, Credentials>().login).parameter(0).toEqualTypeOf<Credentials>()
    expectTypeOf(useAuth<Me, Credentials>().client).toEqualTypeOf<AuthClient<Me, Credentials>>()
    expectTypeOf(useAuthClient<Me, Credentials>().login).parameter(0).toEqualTypeOf<Credentials>()
    expectTypeOf(useAuth().login).parameter(0).toEqualTypeOf<unknown>()
    // Nothing registered in this program (registered.test.ts checks an app that registers its client).
    expectTypeOf<RegisteredClient>().toEqualTypeOf<AuthClient>()
    expectTypeOf<RegisteredUser>().toEqualTypeOf<Claims>()
    expectTypeOf<RegisteredCredentials>().toEqualTypeOf<unknown>()
  })

  it('useAuth reports the last error and a pending login', () => {
    expectTypeOf(useAuth().error).toEqualTypeOf<AuthError | null>()
    expectTypeOf(useAuth().isLoggingIn).toEqualTypeOf<boolean>()
  })

  it('useAccessToken gives a function that resolves a token, not a token to render', () => {
    expectTypeOf(useAccessToken()).toEqualTypeOf<() => Promise<string | null>>()
  })

  it('RequireAuth takes onUnauthenticated, a callback of no arguments', () => {
    expectTypeOf(RequireAuth).parameter(0).toHaveProperty('onUnauthenticated').toEqualTypeOf<(() => void) | undefined>()
  })

  it('a snapshot carries status, user and expiry and no token; the provider takes one of the client user type', () => {
    const auth = createAuthClient<Me, Credentials>({ baseURL: 'https://api.example.com' })
    const snapshot = getAuthSnapshot(auth)
    expectTypeOf(snapshot).toEqualTypeOf<AuthSnapshot<Me>>()
    expectTypeOf(snapshot).not.toHaveProperty('accessToken')
    expectTypeOf<keyof AuthSnapshot>().toEqualTypeOf<'status' | 'user' | 'expiresAt'>()
    expectTypeOf(AuthProvider<Me, Credentials>)
      .parameter(0)
      .toHaveProperty('snapshot')
      .toEqualTypeOf<AuthSnapshot<Me> | null | undefined>()
  })
})
