import { defineConfig } from 'vitest/config'
import { sourceAliases } from './vitest.config.js'

// `npm run test:fuzz`: the property suites with many runs from a fresh seed (printed first; a failure prints
// the seed, the path and the shrunk counterexample), and the memory test. FUZZ_RUNS, FUZZ_SEED and FUZZ_PATH
// set or replay a run.
export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    include: ['packages/core/test/reliability/**/*.property.test.ts', 'packages/core/test/reliability/memory.test.ts'],
    env: { TOKENRAIL_FUZZ: '1' },
    // fast-check prints the counterexample in the error; keep vitest from cutting it short.
    chaiConfig: { truncateThreshold: 0 },
  },
})
