import { createAuthClient } from '@tokenrail/core'
import { DEMO_USER } from '@tokenrail/mock-server'
import { startMockAuthServer } from '@tokenrail/mock-server/node'
import { runSteps, type Printer, type Step } from './runSteps'
import { steps as walkthroughSteps, type WalkthroughContext } from './steps'
import { createWire } from './wire'

const ACCESS_TOKEN_TTL = 300

/**
 * Starts a mock auth server on a free local port, runs the steps against it with a fresh client, and stops both.
 * Resolves the exit code: 0 when every step behaved as described, 1 after naming the step that did not.
 */
export async function runWalkthrough(out: Printer, steps: readonly Step<WalkthroughContext>[] = walkthroughSteps): Promise<number> {
  out.line(['bold', 'tokenrail walkthrough'], ': JWT login, transparent refresh and logout')
  const server = await startMockAuthServer({ accessTokenTtl: ACCESS_TOKEN_TTL })
  const wire = createWire()
  const auth = createAuthClient({ baseURL: server.url, fetch: wire.fetchAs('app') })
  const events = { sessionExpired: 0, logout: 0, refresh: 0 }
  for (const event of Object.keys(events) as (keyof typeof events)[]) auth.on(event, () => void events[event]++)
  out.line(`mock auth server at ${server.url}, demo user ${DEMO_USER.username}`)
  out.line(['dim', `access tokens live ${ACCESS_TOKEN_TTL} s; its clock moves on request, so nobody waits`])
  out.blank()

  try {
    const result = await runSteps(steps, { server, auth, wire, accessTokenTtl: ACCESS_TOKEN_TTL, events }, out)
    if (result.failed) {
      out.line(['red', `✗ step ${result.failed.number} failed: ${result.failed.title}`])
      return 1
    }
    out.line(['green', `✓ all ${result.passed} steps behaved as described`])
    return 0
  } finally {
    auth.destroy()
    await server.close()
  }
}
