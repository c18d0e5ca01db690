import { defineConfig } from 'vitest/config'
import InteropTableReporter from './test/interop/harness/tableReporter.js'
import { sourceAliases } from './vitest.config.js'

// `npm run test:interop`: real auth servers nobody on this project wrote (node oidc-provider, Django SimpleJWT, and
// Express in the Laravel jwt-auth, NestJS and Supabase GoTrue shapes), each in its own process on 127.0.0.1 with a
// clock the tests move. The smoke tests check the servers themselves; the matrix runs every client under test through
// the same steps on each, and the reporter prints the table and writes test/interop/results.md.
export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    include: ['test/interop/**/*.test.ts'],
    setupFiles: ['test/interop/harness/clientClock.ts'],
    reporters: ['default', new InteropTableReporter()],
    // Each file starts its own servers; one file at a time keeps two cores for them.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
