import { describe, expectTypeOf, it } from 'vitest'
import {
  AuthProvider,
  RequireAuth,
  useAuth,
  useAuthClient,
  useAuthState,
  useUser,
  type AuthClient,
  type AuthState,
  type AuthStatus,
  type Claims,
} from '../src/index'

interface Me {
  sub: string
  name: string
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
})
