import { defineConfig } from 'vitest/config'
import FaultTableReporter from './packages/core/test/reliability/faultTableReporter.js'
import { sourceAliases } from './vitest.config.js'

// `npm run test:faults`: the fault-injection matrix, each row an assertion, printed as a table at the end.
export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    include: ['packages/core/test/reliability/faultMatrix.test.ts'],
    reporters: ['default', new FaultTableReporter()],
  },
})
