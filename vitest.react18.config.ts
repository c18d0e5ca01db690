import { createRequire } from 'node:module'
import { defineConfig } from 'vitest/config'
import { sourceAliases } from './vitest.config.js'

// `npm run test:react18`: the React binding's tests and the router recipes once more, against React 18 (the
// root installs 19).
// React 18 lives in the private workspace test/react18, in a node_modules of its own, so that react-dom 18
// loads react 18 and never the root's copy. Every React entry a test or @testing-library/react imports is
// pointed there; @testing-library/react is taken from its ES module build and inlined (transformed by vite
// rather than loaded by Node), so that its own imports of react and react-dom go through these aliases too. The
// routers are inlined for the same reason (React Router from its ES module build: Node would pick its CommonJS
// one), and the CommonJS store shim TanStack Router loads is test/react18's own copy, which requires React 18.
const react18 = createRequire(new URL('./test/react18/package.json', import.meta.url))
const root = createRequire(import.meta.url)
const testingLibrary = root.resolve('@testing-library/react/package.json')
const reactEntries = [
  'react',
  'react/jsx-runtime',
  'react/jsx-dev-runtime',
  'react-dom',
  'react-dom/client',
  'react-dom/server',
  'react-dom/test-utils',
]

export default defineConfig({
  resolve: {
    alias: [
      ...reactEntries.map((id) => ({ find: new RegExp(`^${id}$`), replacement: react18.resolve(id) })),
      {
        find: /^@testing-library\/react$/,
        replacement: testingLibrary.replace(/package\.json$/, 'dist/@testing-library/react.esm.js'),
      },
      {
        find: /^react-router$/,
        replacement: root.resolve('react-router/package.json').replace(/package\.json$/, 'dist/development/index.mjs'),
      },
      {
        find: /^use-sync-external-store\/shim\/with-selector(\.js)?$/,
        replacement: react18.resolve('use-sync-external-store/shim/with-selector'),
      },
      ...sourceAliases,
    ],
  },
  test: {
    include: ['packages/react/src/**/*.test.{ts,tsx}', 'packages/react/test/**/*.test.{ts,tsx}', 'examples/routers/test/*.test.{ts,tsx}'],
    exclude: ['**/node_modules/**', '**/dist/**'],
    env: { TOKENRAIL_REACT_MAJOR: '18' },
    server: { deps: { inline: [/@testing-library\/react/, /react-router/, /@tanstack\//] } },
  },
})
