import type { MockStats } from './types'

export function createStats(): MockStats {
  return {
    logins: 0,
    loginFailures: 0,
    refreshAttempts: 0,
    refreshes: 0,
    graceReplays: 0,
    reuseDetected: 0,
    revoked: 0,
    logouts: 0,
    apiRequests: 0,
    unauthorized: 0,
  }
}

/** Zeroes the counters in place, so a `stats` reference a test holds stays live. */
export function clearStats(stats: MockStats): void {
  Object.assign(stats, createStats())
}
