import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig, type Plugin } from 'vite'

const packages = fileURLToPath(new URL('../../packages', import.meta.url))

/**
 * Serves (dev) and emits (build) msw's `mockServiceWorker.js` straight from the installed msw, so the worker
 * script always matches the msw version the page runs and nothing generated is committed.
 */
function mockServiceWorker(emit: boolean): Plugin {
  const script = () => readFileSync(createRequire(import.meta.url).resolve('msw/mockServiceWorker.js'), 'utf8')
  return {
    name: 'tokenrail-example:msw-worker',
    configureServer(server) {
      server.middlewares.use('/mockServiceWorker.js', (_request, response) => {
        response.setHeader('Content-Type', 'text/javascript')
        response.end(script())
      })
    },
    generateBundle() {
      if (emit) this.emitFile({ type: 'asset', fileName: 'mockServiceWorker.js', source: script() })
    },
  }
}

/** Where `npm run dev:proxy` sends /auth, /api and /__mock: a tokenrail-mock-server started beside Vite. */
const proxyTarget = process.env.TOKENRAIL_SERVER ?? 'http://127.0.0.1:4000'

// Modes: `development` (npm run dev) and `worker` run the mock server in the page through msw's service
// worker; `proxy` (npm run dev:proxy) is Vite's dev server in front of a real tokenrail-mock-server, one origin
// for the browser, cookies and all; `production` is the app alone, for `tokenrail-mock-server --static dist`.
export default defineConfig(({ mode }) => ({
  plugins: [react(), mockServiceWorker(mode === 'worker')],
  server:
    mode === 'proxy'
      ? { proxy: { '/auth': proxyTarget, '/api': proxyTarget, '/__mock': proxyTarget } }
      : {},
  resolve: {
    // Inside this repository the app runs on the packages' sources, so no package build is needed first.
    // An app of your own imports the installed packages and needs no alias.
    alias: [
      { find: /^@tokenrail\/([\w-]+)$/, replacement: `${packages}/$1/src/index.ts` },
      { find: /^@tokenrail\/([\w-]+)\/([\w-]+)$/, replacement: `${packages}/$1/src/$2.ts` },
    ],
  },
  define: { __IN_PAGE_MOCK_SERVER__: JSON.stringify(mode === 'development' || mode === 'worker') },
  build: { outDir: mode === 'worker' ? 'dist-worker' : 'dist', emptyOutDir: true },
}))
