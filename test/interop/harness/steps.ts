import { clientClock } from './clientClock'
import type { Backend, BackendStats } from './backend'
import { describeOutcome, type ClientContext, type ClientFactory, type ClientUnderTest, type Outcome } from './client'

export type StepStatus = 'pass' | 'fail' | 'n/a' | 'not configured'

export interface StepResult {
  step: string
  status: StepStatus
  /** Why, in a few words: what was seen when it is not a pass, what was checked when it is. */
  reason: string
}

/** What a step gets: the backend, a way to make clients, and the two clocks. */
export interface StepContext {
  backend: Backend
  /** A fresh client (logged out); `overrides` reach the factory's context (the config-error step's client_id). */
  client(overrides?: Partial<ClientContext>): Promise<ClientUnderTest>
  /** Moves the client's clock and the server's by the same amount. */
  advanceBoth(seconds: number): Promise<void>
  /** Moves only the server's clock: the client still believes its token is good. */
  advanceServer(seconds: number): Promise<void>
  /** What the server counted during `action`. */
  counting<T>(action: () => Promise<T>): Promise<{ value: T; seen: BackendStats }>
}

export interface Step {
  name: string
  /** Why the step does not apply to this backend, if it does not. */
  notApplicable?(backend: Backend): string | undefined
  run(ctx: StepContext): Promise<Omit<StepResult, 'step'>>
}

const pass = (reason: string) => ({ status: 'pass' as const, reason })
const fail = (reason: string) => ({ status: 'fail' as const, reason })
const ok = (outcome: Outcome) => 'status' in outcome && outcome.status === 200

/** What the refresh call spends: the refresh token, or Laravel jwt-auth's access token. */
const credential = (backend: Backend, tokens: { accessToken?: string; refreshToken?: string }) =>
  backend.refreshWith === 'accessToken' ? tokens.accessToken : tokens.refreshToken

/** Past the access token's lifetime (and any leeway a library keeps). */
const pastExpiry = (backend: Backend) => backend.accessTokenTtl + 1

const refreshes = (count: number) => `${count} refresh${count === 1 ? '' : 'es'}`

class Precondition extends Error {}

/** Logs a fresh client in and checks one protected GET succeeds; any other result makes the step a fail. */
async function loggedIn(ctx: StepContext, overrides?: Partial<ClientContext>) {
  const client = await ctx.client(overrides)
  await client.login().catch((error: unknown) => {
    throw new Precondition(`login failed: ${error instanceof Error ? error.message : String(error)}`)
  })
  const first = await client.get(ctx.backend.resourceURL)
  if (!ok(first)) throw new Precondition(`first GET after login: ${describeOutcome(first)}`)
  return client
}


export const STEPS: Step[] = [
  {
    name: 'login',
    async run(ctx) {
      const client = await ctx.client()
      const { seen } = await ctx.counting(() => client.login())
      const tokens = await client.tokens()
      if (!tokens.accessToken) return fail('login resolved but the library holds no access token')
      if (seen.logins !== 1) return fail(`the server saw ${seen.logins} logins`)
      return pass(tokens.refreshToken ? 'access and refresh token held' : 'access token held (the backend issues no refresh token)')
    },
  },
  {
    name: 'Bearer on a request',
    async run(ctx) {
      const client = await ctx.client()
      await client.login()
      const { value, seen } = await ctx.counting(() => client.get(ctx.backend.resourceURL))
      if (!ok(value)) return fail(describeOutcome(value))
      return seen.resourceOk === 1 ? pass('200 from the protected resource') : fail(`the server counted ${seen.resourceOk} good requests`)
    },
  },
  {
    // Twice: a refreshed token is where SimpleJWT's copied iat and jwt-auth's kept iat make exp - iat lie.
    name: 'expiry: proactive refresh (twice)',
    async run(ctx) {
      const client = await loggedIn(ctx)
      for (const round of ['first', 'second']) {
        await ctx.advanceBoth(pastExpiry(ctx.backend))
        const { value, seen } = await ctx.counting(() => client.get(ctx.backend.resourceURL))
        if (!ok(value)) return fail(`after the ${round} expiry: ${describeOutcome(value)}`)
        if (seen.resourceRefused > 0) {
          return fail(`${round} expiry: no refresh before sending; the server answered ${seen.resourceRefused} x 401 first (${refreshes(seen.refreshesAccepted)}, then 200)`)
        }
        if (seen.refreshesAccepted !== 1) return fail(`${round} expiry: ${refreshes(seen.refreshesAccepted)}`)
      }
      return pass('refreshed before sending at each expiry; the server saw no 401')
    },
  },
  {
    name: '401: one refresh + retry (5 at once)',
    async run(ctx) {
      const client = await loggedIn(ctx)
      await ctx.advanceServer(pastExpiry(ctx.backend))
      const { value: outcomes, seen } = await ctx.counting(() => Promise.all(Array.from({ length: 5 }, () => client.get(ctx.backend.resourceURL))))
      const failed = outcomes.filter((outcome) => !ok(outcome))
      if (failed.length) return fail(`${failed.length}/5 failed, e.g. ${describeOutcome(failed[0]!)} (${refreshes(seen.refreshesAccepted)})`)
      if (seen.refreshesAccepted !== 1) return fail(`all 5 succeeded but the server counted ${refreshes(seen.refreshesAccepted)}`)
      return pass(`5/5 succeeded, 1 refresh${seen.resourceRefused ? ` after ${seen.resourceRefused} x 401` : ''}`)
    },
  },
  {
    name: 'rotation',
    async run(ctx) {
      const client = await loggedIn(ctx)
      const spent: (string | undefined)[] = [credential(ctx.backend, await client.tokens())]
      const { value: outcomes, seen } = await ctx.counting(async () => {
        const results: Outcome[] = []
        for (const _ of [1, 2]) {
          await ctx.advanceBoth(pastExpiry(ctx.backend))
          results.push(await client.get(ctx.backend.resourceURL))
          spent.push(credential(ctx.backend, await client.tokens()))
        }
        return results
      })
      const failed = outcomes.findIndex((outcome) => !ok(outcome))
      if (failed >= 0) return fail(`refresh ${failed + 1}: ${describeOutcome(outcomes[failed]!)} (${seen.refreshesAccepted} accepted, ${seen.refreshesRefused} refused)`)
      if (seen.refreshesAccepted !== 2) return fail(`the server counted ${refreshes(seen.refreshesAccepted)} for 2 expiries`)
      if (new Set(spent).size !== 3 || spent.includes(undefined)) return fail('the library did not keep each rotated token')
      if (ctx.backend.reuseIntervalSeconds) await ctx.advanceServer(ctx.backend.reuseIntervalSeconds + 1)
      if (await ctx.backend.acceptsRefresh(spent[0]!)) return fail('the server still accepts the first refresh token')
      return pass('2 refreshes, each with the token the last one returned; the server refuses the first')
    },
  },
  {
    name: 'logout revoked on the server',
    async run(ctx) {
      const client = await loggedIn(ctx)
      const held = credential(ctx.backend, await client.tokens())
      const { seen } = await ctx.counting(() => client.logout())
      const after = await client.tokens()
      if (after.accessToken || after.refreshToken) return fail('tokens still held after logout')
      if (!held) return fail('no token to revoke was held')
      if (await ctx.backend.acceptsRefresh(held)) {
        return fail(`local tokens cleared, but the server still accepts the ${ctx.backend.refreshWith === 'accessToken' ? 'token' : 'refresh token'}${seen.logouts ? '' : ' (no revocation call)'}`)
      }
      return pass('the server refuses the old refresh credential')
    },
  },
  {
    name: 'refused refresh: session over',
    async run(ctx) {
      const client = await loggedIn(ctx)
      const tokens = await client.tokens()
      if (!tokens.accessToken || (ctx.backend.refreshWith === 'refreshToken' && !tokens.refreshToken)) {
        return fail('tokens() exposes no refresh token, so it cannot be revoked behind the client\'s back')
      }
      const revoked = await ctx.backend.rawLogout({ accessToken: tokens.accessToken, refreshToken: tokens.refreshToken })
      if (revoked.status >= 300) throw new Error(`harness: revoking behind the client's back answered ${revoked.status}`)
      await ctx.advanceBoth(pastExpiry(ctx.backend))
      const { value, seen } = await ctx.counting(() => client.get(ctx.backend.resourceURL))
      const session = await client.session()
      const what = `${describeOutcome(value)}; ${seen.refreshesRefused} refresh refused`
      if (ok(value)) return fail(`a revoked session still got 200 (${what})`)
      if (session === 'ended') return pass(`reported over (${what})`)
      if (session === 'unknown') return fail(`no notion of a session: ${what}`)
      return fail(`session still active (${what})`)
    },
  },
  {
    name: 'config error (invalid_client): kept + reported',
    notApplicable: (backend) => (backend.oauth ? undefined : 'OAuth only'),
    async run(ctx) {
      const client = await loggedIn(ctx, { clientId: 'not-registered' })
      const held = await client.tokens()
      await ctx.advanceBoth(pastExpiry(ctx.backend))
      const { value, seen } = await ctx.counting(() => client.get(ctx.backend.resourceURL))
      const session = await client.session()
      const after = await client.tokens()
      const reported = [...('error' in value ? [value.error] : []), ...client.reports()]
      const mentions = reported.some((report) => JSON.stringify(report).includes('invalid_client'))
      const what = `${describeOutcome(value)}; ${seen.refreshesRefused} refresh refused`
      if (ok(value)) return fail(`got 200 with an unregistered client_id (${what})`)
      if (session === 'ended' || !after.refreshToken || after.refreshToken !== held.refreshToken) return fail(`session ended (${what})`)
      if (!mentions) return fail(`session kept, but invalid_client is not in what the app sees (${what})`)
      return pass(`session kept, invalid_client reported (${what})`)
    },
  },
]

/** Runs every step for one library on one backend. A missing factory makes every row "not configured". */
export async function runSteps(backend: Backend, factory: ClientFactory | undefined, options: { stepTimeout?: number } = {}): Promise<StepResult[]> {
  const results: StepResult[] = []
  for (const step of STEPS) {
    const notApplicable = step.notApplicable?.(backend)
    if (notApplicable) {
      results.push({ step: step.name, status: 'n/a', reason: notApplicable })
      continue
    }
    if (!factory) {
      results.push({ step: step.name, status: 'not configured', reason: 'no driver for this backend' })
      continue
    }
    results.push({ step: step.name, ...(await runStep(step, backend, factory, options.stepTimeout ?? 30_000)) })
  }
  return results
}

async function runStep(step: Step, backend: Backend, factory: ClientFactory, timeout: number) {
  const clients: ClientUnderTest[] = []
  const ctx: StepContext = {
    backend,
    async client(overrides = {}) {
      const client = await factory({ backend, now: clientClock.now, ...overrides })
      clients.push(client)
      return client
    },
    async advanceBoth(seconds) {
      clientClock.advance(seconds)
      await backend.advance(seconds)
    },
    advanceServer: (seconds) => backend.advance(seconds),
    async counting(action) {
      const before = await backend.stats()
      const value = await action()
      const after = await backend.stats()
      const seen = Object.fromEntries(Object.entries(after).map(([key, count]) => [key, count - before[key as keyof BackendStats]])) as unknown as BackendStats
      return { value, seen }
    },
  }
  await syncClocks(backend)
  let timer: ReturnType<typeof setTimeout> | undefined
  // A guard, not a wait: a request that never settles must not stall the whole table.
  const timedOut = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`timed out after ${timeout} ms (something never settled)`)), timeout)))
  try {
    return await Promise.race([step.run(ctx), timedOut])
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    // "harness:" failures are the suite's own (the matrix test fails on them); the rest are the library's.
    return fail(error instanceof Precondition || message.startsWith('harness:') ? message : `threw: ${message}`)
  } finally {
    clearTimeout(timer)
    for (const client of clients) await client.destroy()
  }
}

/** Both clocks only move forward: whichever is behind catches up, so each step starts with the two in agreement. */
async function syncClocks(backend: Backend) {
  const ahead = ((await backend.now()) - clientClock.now()) / 1000
  if (ahead > 0) clientClock.advance(ahead)
  else if (ahead < 0) await backend.advance(-ahead)
}
