import { defineConfig } from 'vitest/config'

// The cross-package tests once more, against the built packages: no aliases, so `@tokenrail/*` resolves
// through node_modules and each package's `exports` map to dist/. A broken map or a missing file fails here.
export default defineConfig({
  test: {
    include: ['test/*.test.{ts,tsx}'],
    // The walkthrough runs from source by design (npm start works before any build): nothing of dist to test there.
    exclude: ['**/node_modules/**', 'test/e2e/**', 'test/walkthrough*.test.ts'],
    server: { deps: { external: [/@tokenrail\//, /packages\/.*\/dist/] } },
  },
})
