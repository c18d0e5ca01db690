import { defineConfig } from 'vitest/config'

// `npm run test:readme`: the READMEs' commands from a fresh clone of the last commit (npm ci, the build, the
// examples, the server's --cors) with Chromium. Slow (a full install and build), so apart from `npm test`; CI runs it.
export default defineConfig({
  test: {
    include: ['test/readme/**/*.test.ts'],
    testTimeout: 600_000,
    hookTimeout: 120_000,
  },
})
