import { isSessionExpiredError, type AuthClient, type Claims } from '@tokenrail/core'
import { DEMO_USER } from '@tokenrail/mock-server'
import type { RunningMockAuthServer } from '@tokenrail/mock-server/node'
import { expectThat, type Printer, type Step } from './runSteps'
import { showWire } from './showWire'
import { clockTime, shortToken } from './terminal'
import type { Exchange, Wire } from './wire'

export interface WalkthroughContext {
  server: RunningMockAuthServer
  auth: AuthClient
  wire: Wire
  /** Access token lifetime the server was started with, in seconds. */
  accessTokenTtl: number
  /** How many times the client emitted each event. */
  events: { sessionExpired: number; logout: number; refresh: number }
}

const CONCURRENT_REQUESTS = 10

const todosURL = ({ server }: WalkthroughContext) => `${server.url}/api/todos`

/** Runs `action`, prints what went over the wire meanwhile, and hands both back for the step's checks. */
async function onTheWire<T>(
  context: WalkthroughContext,
  out: Printer,
  action: () => Promise<T>,
  options?: { grouped: boolean },
): Promise<[T, Exchange[]]> {
  const settled = await action().then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  )
  const exchanges = context.wire.take()
  showWire(out, exchanges, options)
  if ('error' in settled) throw settled.error
  return [settled.value, exchanges]
}

/** The server's counters moved by `action`. */
async function countedBy(context: WalkthroughContext, action: () => Promise<void>) {
  const before = { ...context.server.mock.stats }
  await action()
  const after = context.server.mock.stats
  return {
    refreshes: after.refreshes - before.refreshes,
    refreshAttempts: after.refreshAttempts - before.refreshAttempts,
    reuseDetected: after.reuseDetected - before.reuseDetected,
    revoked: after.revoked - before.revoked,
  }
}

const ok = (out: Printer, text: string) => out.line('    ', ['green', '✓ '], text)
const note = (out: Printer, text: string) => out.line('    ', ['dim', text])

function advanceServerClock(context: WalkthroughContext, out: Printer): void {
  const seconds = context.accessTokenTtl + 1
  context.server.mock.clock.advance(seconds)
  note(out, `server clock +${seconds} s, now ${clockTime(context.server.mock.clock.now())} (nobody waited)`)
}

function decodeSegment(segment: string | undefined): Record<string, unknown> {
  const json: unknown = JSON.parse(Buffer.from(segment ?? '', 'base64url').toString('utf8'))
  return json && typeof json === 'object' ? (json as Record<string, unknown>) : {}
}

const claimText = (claims: Claims, names: readonly string[]) =>
  names.filter((name) => claims[name] !== undefined).map((name) => `${name} ${String(claims[name])}`).join(' · ')

export const steps: readonly Step<WalkthroughContext>[] = [
  {
    title: 'Log in: POST the credentials, get a token pair',
    async run(context, out) {
      const [state] = await onTheWire(context, out, () => context.auth.login({ username: DEMO_USER.username, password: DEMO_USER.password }))
      expectThat(state.status === 'authenticated', `expected the client to be authenticated, it is ${state.status}`)
      expectThat(context.wire.refreshTokens.length === 1, 'expected the login answer to carry a refresh token')
      ok(out, `logged in as ${DEMO_USER.username}; tokens kept in memory (the default storage)`)
    },
  },
  {
    title: "Read the access token: a signed JWT with the user's claims",
    async run(context, out) {
      const { accessToken, user } = context.auth.getState()
      expectThat(accessToken !== null && user !== null, 'expected an access token with claims')
      const header = decodeSegment(accessToken.split('.')[0])
      out.line('    header     ', `alg ${String(header.alg)} · typ ${String(header.typ)}`)
      out.line('    claims     ', claimText(user, ['sub', 'name', 'email', 'roles']))
      out.line('               ', claimText(user, ['iss', 'aud']))
      out.line('    signature  ', 'HMAC-SHA256 with the server key, checked on every request')
      const iat = Number(user.iat)
      const exp = Number(user.exp)
      const left = Math.round(exp - context.server.mock.clock.now() / 1000)
      out.line('    lifetime   ', `issued ${clockTime(iat * 1000)}, expires ${clockTime(exp * 1000)} `, ['dim', `(server clock: ${left} s left)`])
      expectThat(header.alg === 'HS256', `expected alg HS256, got ${String(header.alg)}`)
      expectThat(user.sub === DEMO_USER.username, `expected sub ${DEMO_USER.username}, got ${String(user.sub)}`)
      expectThat(exp - iat === context.accessTokenTtl, `expected a ${context.accessTokenTtl} s lifetime, got ${exp - iat} s`)
      expectThat(left > 0, 'expected the fresh token to be unexpired on the server clock')
    },
  },
  {
    title: 'Call the protected API: the client adds the Bearer header',
    async run(context, out) {
      const [response, wire] = await onTheWire(context, out, () => context.auth.fetch(todosURL(context)))
      expectThat(response.status === 200, `expected 200 from GET /api/todos, got ${response.status}`)
      expectThat(wire[0]?.bearer === context.auth.getState().accessToken, 'expected the request to carry the current access token')
      ok(out, `the app called fetch without any token; the server answered ${JSON.stringify(await response.json())}`)
    },
  },
  {
    title: 'Time passes: the access token expires on the server',
    async run(context, out) {
      const exp = Number(context.auth.getState().user?.exp)
      advanceServerClock(context, out)
      const expiredFor = Math.round(context.server.mock.clock.now() / 1000 - exp)
      expectThat(expiredFor > 0, 'expected the access token to be past its exp on the server clock')
      ok(out, `the token expired ${expiredFor} s ago; the client's clock has not moved, so it`)
      note(out, '  still sends the token, and the server is the one to refuse it')
    },
  },
  {
    title: 'A 401, a transparent refresh, and the retry',
    async run(context, out) {
      let response: Response | undefined
      const moved = await countedBy(context, async () => {
        ;[response] = await onTheWire(context, out, () =>
          context.auth.fetch(todosURL(context), {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ title: 'Try the walkthrough' }),
          }),
        )
      })
      expectThat(response?.status === 201, `expected the app to get 201, got ${response?.status}`)
      expectThat(moved.refreshes === 1, `expected 1 refresh on the server, it counted ${moved.refreshes}`)
      ok(out, 'the app saw one 201; the 401 and the refresh stayed inside the client')
    },
  },
  {
    title: 'Ten concurrent requests share one refresh',
    async run(context, out) {
      advanceServerClock(context, out)
      let statuses: number[] = []
      let wire: Exchange[] = []
      const moved = await countedBy(context, async () => {
        const requests = Array.from({ length: CONCURRENT_REQUESTS }, () => context.auth.fetch(todosURL(context)))
        ;[statuses, wire] = await onTheWire(context, out, async () => (await Promise.all(requests)).map((r) => r.status), {
          grouped: true,
        })
      })
      const refused = wire.filter((exchange) => exchange.status === 401).length
      out.line('    ', ['bold', `server refresh count: ${moved.refreshes}`], ` (refresh requests: ${moved.refreshAttempts})`)
      expectThat(statuses.every((status) => status === 200), `expected ${CONCURRENT_REQUESTS} × 200, got ${statuses.join(' ')}`)
      expectThat(refused > 1, `expected the requests to be refused together, ${refused} got a 401`)
      expectThat(moved.refreshAttempts === 1, `expected 1 refresh request, the server saw ${moved.refreshAttempts}`)
      ok(out, `${refused} requests got a 401, one refresh served them all, each retry got 200`)
    },
  },
  {
    title: 'Rotation: every refresh spends its refresh token and issues a new one',
    async run(context, out) {
      const issued = context.wire.refreshTokens
      issued.forEach((token, index) => out.line('    ', `${index === 0 ? 'login    ' : `refresh ${index}`}  `, shortToken(token)))
      expectThat(issued.length === 3, `expected 3 refresh tokens (login + 2 refreshes), saw ${issued.length}`)
      expectThat(new Set(issued).size === issued.length, 'expected every refresh token to be new')
      ok(out, 'three different refresh tokens; only the last one is live')
    },
  },
  {
    title: 'Replay of a stolen refresh token: the family is revoked',
    async run(context, out) {
      const stolen = context.wire.refreshTokens[0]
      expectThat(stolen !== undefined, 'expected a refresh token from the login')
      note(out, 'someone copied the refresh token of the login and presents it now:')
      let status = 0
      const moved = await countedBy(context, async () => {
        ;[status] = await onTheWire(context, out, async () => {
          const replay = await context.wire.fetchAs('attacker')(`${context.server.url}/auth/refresh`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ refreshToken: stolen }),
          })
          return replay.status
        })
      })
      expectThat(status === 400, `expected 400 invalid_grant for the replay, got ${status}`)
      expectThat(moved.reuseDetected === 1, `expected the server to detect reuse once, it counted ${moved.reuseDetected}`)
      expectThat(moved.revoked === 1, `expected the family revoked, the server revoked ${moved.revoked}`)
      ok(out, 'reuse detected: the server cannot tell thief from owner, so every')
      note(out, "  token of this login is dead now, the owner's current one too")
    },
  },
  {
    title: "The client's next refresh ends the session",
    async run(context, out) {
      advanceServerClock(context, out)
      let outcome: unknown
      await onTheWire(context, out, () =>
        context.auth.fetch(todosURL(context)).then(
          (response) => (outcome = response),
          (error: unknown) => (outcome = error),
        ),
      )
      expectThat(isSessionExpiredError(outcome), `expected auth.fetch to reject with SessionExpiredError, got ${describe(outcome)}`)
      expectThat(context.events.sessionExpired === 1, `expected one sessionExpired event, got ${context.events.sessionExpired}`)
      expectThat(context.auth.getState().status === 'unauthenticated', 'expected the client to be logged out')
      ok(out, "auth.fetch rejected: SessionExpiredError; 'sessionExpired' fired once;")
      note(out, '  tokens cleared: the app shows its login form')
    },
  },
  {
    title: 'Log in again, then log out: the server revokes the session',
    async run(context, out) {
      await onTheWire(context, out, () => context.auth.login({ username: DEMO_USER.username, password: DEMO_USER.password }))
      const refreshToken = context.wire.refreshTokens.at(-1)
      let replayStatus = 0
      const moved = await countedBy(context, async () => {
        await onTheWire(context, out, async () => {
          await context.auth.logout()
          const replay = await context.wire.fetchAs('after logout')(`${context.server.url}/auth/refresh`, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ refreshToken }),
          })
          replayStatus = replay.status
        })
      })
      expectThat(context.auth.getState().status === 'unauthenticated', 'expected the client to be logged out')
      expectThat(context.events.logout === 1, `expected one logout event, got ${context.events.logout}`)
      expectThat(moved.revoked === 1, `expected the server to revoke the session, it revoked ${moved.revoked}`)
      expectThat(replayStatus === 400, `expected the logged-out refresh token to be refused, got ${replayStatus}`)
      expectThat((await context.auth.getAccessToken()) === null, 'expected no access token after logout')
      ok(out, 'logged out: local tokens cleared, the refresh token refused from now on')
    },
  },
]

function describe(value: unknown): string {
  if (value instanceof Response) return `a ${value.status} response`
  if (value instanceof Error) return value.name
  return String(value)
}
