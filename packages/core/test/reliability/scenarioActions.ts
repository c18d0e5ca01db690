import fc from 'fast-check'
import type { Outcome } from './fakeAuthServer'
import type { OtherTabAction } from './otherTab'

// Plain objects, so a counterexample prints as it would be typed.
const record = <T>(model: { [K in keyof T]: fc.Arbitrary<T[K]> }) => fc.record(model, { noNullPrototype: true })

/** Where an app request goes; every name but `api`, `relative` and `skipAuth` is an origin that must not get the token. */
export type Target = 'api' | 'relative' | 'skipAuth' | 'otherPort' | 'otherScheme' | 'lookalikeHost' | 'userinfoHost'

export const TARGET_URLS: Record<Target, string> = {
  api: 'https://api.example.com/api/todos',
  relative: '/api/todos',
  skipAuth: 'https://api.example.com/api/todos',
  otherPort: 'https://api.example.com:8443/api/todos',
  otherScheme: 'http://api.example.com/api/todos',
  lookalikeHost: 'https://api.example.com.evil.org/api/todos',
  userinfoHost: 'https://api.example.com@evil.org/api/todos',
}

/**
 * How a run starts: a session read from storage, a login, nobody, or junk in storage; with Web Locks and a
 * BroadcastChannel, a channel only (the engine's own single flight is then all there is), or no cross-tab.
 */
export interface Setup {
  start: 'stored' | 'login' | 'nobody' | 'junk'
  storage: 'sync' | 'async'
  tabs: 'locks' | 'channel' | 'off'
  autoRefresh: boolean
  /**
   * How the client writes its auth calls: the default JSON, forms as an OAuth server wants them (and only
   * `invalid_grant` refused), or the refresh token as a Bearer header (a NestJS-style API), both through `requests`.
   */
  wire: 'json' | 'form' | 'bearer'
}

/** One thing that happens to the client, its server, its clock, its storage or another tab. */
export type Action =
  | { do: 'fetch' | 'axios'; to: Target; abortable: boolean }
  | { do: 'answer'; pick: number; outcome: Outcome }
  | { do: 'abort'; pick: number }
  | { do: 'advance'; ms: number }
  | { do: 'expireOnServer' }
  | { do: 'clockJump'; ms: number }
  | { do: 'login' | 'logout' | 'refresh' | 'getAccessToken' }
  | { do: 'setTokens'; tokens: 'fresh' | 'opaque' | 'junk' }
  | { do: 'tab'; what: OtherTabAction }
  | { do: 'deliver' }
  | { do: 'storage'; what: 'break' | 'mend' }
  /** The page reloads: the client is destroyed and a new one starts on the same storage, asking the open tabs. */
  | { do: 'reload' }

const target = fc.oneof(
  { weight: 6, arbitrary: fc.constant<Target>('api') },
  { weight: 2, arbitrary: fc.constant<Target>('relative') },
  { weight: 3, arbitrary: fc.constantFrom<Target>('skipAuth', 'otherPort', 'otherScheme', 'lookalikeHost', 'userinfoHost') },
)

const outcome = fc.oneof(
  { weight: 8, arbitrary: fc.constant<Outcome>('auto') },
  { weight: 4, arbitrary: fc.constantFrom<Outcome>('refused', 'network', '5xx', 'bad-json', 'html', '401', '403') },
)

const request = (via: 'fetch' | 'axios') => record({ do: fc.constant(via), to: target, abortable: fc.boolean() })

export const actionArbitrary: fc.Arbitrary<Action> = fc.oneof(
  { weight: 6, arbitrary: request('fetch') },
  { weight: 5, arbitrary: request('axios') },
  { weight: 12, arbitrary: record({ do: fc.constant('answer' as const), pick: fc.nat(7), outcome }) },
  { weight: 1, arbitrary: record({ do: fc.constant('abort' as const), pick: fc.nat(7) }) },
  { weight: 3, arbitrary: record({ do: fc.constant('advance' as const), ms: fc.constantFrom(100, 1_000, 10_001, 31_000, 61_000) }) },
  { weight: 2, arbitrary: fc.constant({ do: 'expireOnServer' as const }) },
  { weight: 1, arbitrary: record({ do: fc.constant('clockJump' as const), ms: fc.constantFrom(-7_200_000, 7_200_000) }) },
  { weight: 3, arbitrary: fc.constantFrom(...(['login', 'logout', 'refresh', 'getAccessToken'] as const).map((name) => ({ do: name }))) },
  { weight: 1, arbitrary: record({ do: fc.constant('setTokens' as const), tokens: fc.constantFrom('fresh' as const, 'opaque' as const, 'junk' as const) }) },
  {
    weight: 3,
    arbitrary: record({
      do: fc.constant('tab' as const),
      what: fc.constantFrom('refresh' as const, 'login' as const, 'logout' as const, 'junk' as const, 'lock' as const, 'unlock' as const, 'join' as const),
    }),
  },
  { weight: 3, arbitrary: fc.constant({ do: 'deliver' as const }) },
  { weight: 1, arbitrary: record({ do: fc.constant('storage' as const), what: fc.constantFrom('break' as const, 'mend' as const) }) },
  { weight: 1, arbitrary: fc.constant({ do: 'reload' as const }) },
)

/** Runs of a realistic length: long enough for a refresh, a failure and a recovery to interleave. */
export const actionsArbitrary = fc.array(actionArbitrary, { minLength: 1, maxLength: 60, size: 'max' })

export const setupArbitrary: fc.Arbitrary<Setup> = record({
  start: fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom('stored' as const, 'login' as const) },
    { weight: 1, arbitrary: fc.constantFrom('nobody' as const, 'junk' as const) },
  ),
  storage: fc.constantFrom('sync' as const, 'async' as const),
  tabs: fc.constantFrom('locks' as const, 'channel' as const, 'off' as const),
  autoRefresh: fc.boolean(),
  wire: fc.constantFrom('json' as const, 'form' as const, 'bearer' as const),
})
