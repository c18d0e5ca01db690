import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createScenario } from './createScenario'
import { fuzzParameters, propertyTimeout } from './fuzzSettings'
import { actionsArbitrary, setupArbitrary } from './scenarioActions'

// A rejection nobody handled is a promise somebody lost: every run checks that none happened.
const unhandled: unknown[] = []
const onUnhandled = (reason: unknown) => void unhandled.push(reason)
beforeAll(() => void process.on('unhandledRejection', onUnhandled))
afterAll(() => void process.off('unhandledRejection', onUnhandled))

describe('the refresh engine under random interleavings (fetch and axios on one client)', () => {
  it(
    'keeps every invariant whatever happens, in whatever order',
    async () => {
      await fc.assert(
        fc.asyncProperty(setupArbitrary, actionsArbitrary, async (setup, actions) => {
          const scenario = createScenario(setup)
          try {
            await scenario.start()
            await scenario.run(actions)
            await scenario.drain()
            await scenario.recover()
            scenario.finish()
            await new Promise((resolve) => setImmediate(resolve))
            const lost = unhandled.splice(0).map((reason) => `unhandled rejection: ${String(reason)}`)
            expect([...scenario.violations, ...lost]).toEqual([])
          } finally {
            scenario.dispose()
          }
        }),
        fuzzParameters(300),
      )
    },
    propertyTimeout,
  )
})
