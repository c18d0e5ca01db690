import type { LibraryDrivers } from './harness/client'

// THE TOKENRAIL SLOT. tokenrail's set-ups (recipes) for each backend, one per adapter, go here, written against
// `ClientUnderTest` (harness/client.ts). Until a backend has an entry, the table shows "not configured" for it:
// no step is skipped silently and no result is made up.
//
// A driver is `(ctx: ClientContext) => Promise<ClientUnderTest>`. A sketch for a password backend:
//
//   'django-simplejwt': async ({ backend, now }) => {
//     const auth = createAuthClient({ baseURL: backend.authBaseURL, endpoints: ..., requests: ..., parseTokens: ..., now,
//                                     allowedOrigins: [new URL(backend.resourceURL).origin] })
//     const reports: ErrorReport[] = []
//     let ended = false
//     auth.on('error', (error) => reports.push(describeError(error)))
//     auth.on('sessionExpired', () => { ended = true })
//     return {
//       login: async () => void (await auth.login(backend.credentials)),
//       get: (url) => outcomeOfFetch(auth.fetch(url)),               // or outcomeOfAxios(instance.get(url), url) after attachAxios
//       logout: () => auth.logout(),
//       tokens: async () => ({ accessToken: auth.getState().accessToken ?? undefined, refreshToken: <from its storage> }),
//       session: async () => (ended || auth.getState().status === 'unauthenticated' ? 'ended' : 'active'),
//       reports: () => reports,
//       destroy: () => auth.destroy(),
//     }
//   },
//
// Things the backends need (see each Backend's `notes` and the servers' header comments): Supabase wants
// `backend.headers` (apikey) on the auth calls too; Laravel refreshes with the access token as Bearer; NestJS sends
// the refresh token as Bearer; oidc-provider wants `resource` on refresh and `ctx.clientId` as the client_id (the
// config-error step sets an unregistered one); its first tokens come from `backend.rawLogin()` or, through the
// library's own redirect login, from `walkAuthorization` (harness/oauthFlow.ts).

/** "tokenrail (auth.fetch)": a client per backend whose requests go through `auth.fetch`. */
export const tokenrailFetch: LibraryDrivers = {}

/** "tokenrail (attachAxios)": a client per backend whose requests go through an axios instance with `attachAxios`. */
export const tokenrailAxios: LibraryDrivers = {}
