import type { AuthClient, Claims } from '@tokenrail/core'

/**
 * Names the app's client once, so every hook knows its user and credentials types without a type argument:
 *
 * ```ts
 * export const auth = createAuthClient<User, Credentials>({ baseURL: '...' })
 * declare module '@tokenrail/react' {
 *   interface Register {
 *     client: typeof auth
 *   }
 * }
 * ```
 */
// Empty on purpose: the app fills it in through declaration merging.
export interface Register {}

/** The client named in `Register`, or a client of token claims that logs in with anything. */
export type RegisteredClient = Register extends { client: infer C } ? C : AuthClient

/** The user type of the registered client. @default Claims */
export type RegisteredUser = RegisteredClient extends AuthClient<infer User, infer _> ? User : Claims

/** The credentials type of the registered client. @default unknown */
export type RegisteredCredentials = RegisteredClient extends AuthClient<infer _, infer Credentials> ? Credentials : unknown
