import { createAuthClient as create, type AuthClient, type AuthClientOptions, type Claims } from '@tokenrail/core'

/**
 * The core's `createAuthClient`, typed with the app's user and credentials, which `useAuth().login` and the
 * other hooks then follow (through `Register`, or by passing the client's types).
 */
export const createAuthClient: <User = Claims, Credentials = unknown>(options: AuthClientOptions) => AuthClient<User, Credentials> =
  create
