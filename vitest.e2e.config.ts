import { defineConfig } from 'vitest/config'
import { sourceAliases } from './vitest.config.js'

// Real-browser tests: Debian's Chromium through playwright-core, against the React example. The global setup
// builds the example once (both ways it runs) and fails the run when Chromium is missing.
export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    include: ['test/e2e/**/*.test.ts'],
    globalSetup: ['test/e2e/globalSetup.ts'],
    // One browser at a time: the machine has two cores, and each file launches its own Chromium.
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
})
