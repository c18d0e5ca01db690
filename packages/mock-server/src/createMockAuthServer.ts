import { createAccessTokenService } from './accessTokens'
import { withoutRegisteredClaims } from './claims'
import { createClock } from './clock'
import type { ServerContext } from './context'
import { resolveEndpoints } from './endpoints'
import { createFaults } from './faults'
import { createApiHandlers } from './handlers/api'
import { createAuthHandlers } from './handlers/auth'
import { resolveOptions } from './options'
import { createSessionStore, type TokenPair } from './sessions'
import { clearStats, createStats } from './stats'
import { createTodoStore } from './todos'
import type { MockAuthServer, MockAuthServerOptions } from './types'
import { createUserStore } from './users'

/**
 * A complete JWT auth server as msw handlers: login, rotating refresh tokens with reuse detection, logout, and a
 * protected demo API, with a controllable clock, injectable faults and counters for tests.
 */
export function createMockAuthServer(options: MockAuthServerOptions): MockAuthServer {
  const resolved = resolveOptions(options)
  const endpoints = resolveEndpoints(resolved.baseURL)
  const clock = createClock()
  const users = createUserStore(resolved.users, resolved.passwordHashIterations)
  const accessTokens = createAccessTokenService({ ...resolved, clock })

  const sessions = createSessionStore({
    now: clock.now,
    refreshTokenTtlMs: resolved.refreshTokenTtl * 1000,
    reuseGraceMs: resolved.reuseGraceSeconds * 1000,
    async issue(family, refreshToken): Promise<TokenPair> {
      const claims = { ...withoutRegisteredClaims(users.claimsOf(family.username)), sub: family.username, sid: family.id }
      const { token, exp } = await accessTokens.sign(claims)
      return { accessToken: token, refreshToken, accessTokenExp: exp ?? 0 }
    },
  })

  const context: ServerContext = {
    options: resolved,
    endpoints,
    refreshCookie: { name: resolved.refreshCookieName, path: endpoints.refreshPath },
    clock,
    faults: createFaults(),
    stats: createStats(),
    users,
    sessions,
    accessTokens,
    todos: createTodoStore(),
  }

  return {
    handlers: [...createAuthHandlers(context), ...createApiHandlers(context)],
    endpoints: {
      login: endpoints.login,
      refresh: endpoints.refresh,
      logout: endpoints.logout,
      me: endpoints.me,
      todos: endpoints.todos,
    },
    clock: { now: clock.now, advance: clock.advance, reset: clock.reset },
    faults: context.faults.api,
    stats: context.stats,
    users: users.api,
    async signAccessToken(claims = {}, signOptions) {
      return (await accessTokens.sign(claims, signOptions)).token
    },
    reset() {
      sessions.clear()
      context.todos.clear()
      context.faults.api.clear()
      clearStats(context.stats)
      clock.reset()
    },
  }
}
