import { defineConfig } from 'vitest/config'
import { sourceAliases } from './vitest.config.js'

// `npm run test:interop`: real auth servers nobody on this project wrote (node oidc-provider, Django SimpleJWT, and
// Express in the Laravel jwt-auth, NestJS and Supabase GoTrue shapes), each in its own process on 127.0.0.1 with a
// clock the tests move. The smoke tests check that each server behaves as its project documents.
export default defineConfig({
  resolve: { alias: sourceAliases },
  test: {
    include: ['test/interop/**/*.test.ts'],
    // Each file starts its own servers; one file at a time keeps two cores for them.
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
})
