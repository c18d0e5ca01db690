import type { AuthState } from '../../src'

export const B64TOKEN = /^[\w\-.~+/]+=*$/
const KEYS = ['accessToken', 'expiresAt', 'refreshing', 'status', 'user'].join()

/**
 * What is wrong with a snapshot, or undefined when it has one of the documented shapes: `loading` or
 * `unauthenticated` with no session in it, or `authenticated` with a header-safe token.
 */
export function stateShapeProblem(state: AuthState): string | undefined {
  if (Object.keys(state).sort().join() !== KEYS) return `state has keys ${Object.keys(state).join()}`
  if (typeof state.refreshing !== 'boolean') return 'refreshing is not a boolean'
  if (state.status === 'loading' || state.status === 'unauthenticated') {
    const empty = state.accessToken === null && state.user === null && state.expiresAt === null
    return empty ? undefined : `${state.status} state holds a session`
  }
  if (state.status !== 'authenticated') return `unknown status ${String(state.status)}`
  if (typeof state.accessToken !== 'string' || !B64TOKEN.test(state.accessToken)) return 'authenticated without a valid token'
  if (state.user !== null && (typeof state.user !== 'object' || Array.isArray(state.user))) return 'user is not an object'
  if (state.expiresAt !== null && !Number.isFinite(state.expiresAt)) return 'expiresAt is not a finite number'
  return undefined
}

/** Whether two snapshots hold the same values, field by field (what a subscriber must never be told about). */
export const sameState = (one: AuthState, other: AuthState) =>
  (Object.keys(one) as (keyof AuthState)[]).every((key) => Object.is(one[key], other[key]))
