// An app that registers its client once (README: "Typed once"). Compiled on its own by registered.test.ts:
// the registration is global to a TypeScript program, so this file stays out of the other type tests.
import { createAuthClient, useAuth, useAuthClient, useAuthState, useUser, type AuthClient, type AuthState } from '../../src/index'

interface User {
  sub: string
  name: string
  roles: string[]
}
interface Credentials {
  username: string
  password: string
}

export const auth = createAuthClient<User, Credentials>({ baseURL: 'https://api.example.com' })

declare module '../../src/index' {
  interface Register {
    client: typeof auth
  }
}

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false
const same = <A, B>(check: Equal<A, B>) => check

export function Component() {
  const { login, user, client } = useAuth()
  same<Parameters<typeof login>[0], Credentials>(true)
  same<typeof user, User | null>(true)
  same<typeof client, AuthClient<User, Credentials>>(true)
  same<ReturnType<typeof login>, Promise<AuthState<User>>>(true)
  const me = useUser()
  same<typeof me, User | null>(true)
  const registered = useAuthClient()
  same<typeof registered, AuthClient<User, Credentials>>(true)
  // The selector's argument is the registered user's state without an annotation.
  const roles = useAuthState((state) => state.user?.roles)
  same<typeof roles, string[] | undefined>(true)
  void login({ username: 'demo', password: 'demo-password' })
  // @ts-expect-error the registered credentials need a password
  void login({ username: 'demo' })
  // @ts-expect-error the registered user has no `email`
  void user?.email
  // A hook can still be given other types explicitly.
  const other = useUser<{ sub: string }>()
  same<typeof other, { sub: string } | null>(true)
  return roles
}
