// `npm start`: runs the walkthrough (scripts/walkthrough/main.ts) straight from the TypeScript sources, so it
// works right after `npm install`, before any build. esbuild bundles it with every `@tokenrail/*` import read
// from packages/*/src; other packages stay external and load from node_modules as usual.
import { build } from 'esbuild'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = new URL('..', import.meta.url)
const path = (relative) => fileURLToPath(new URL(relative, root))

const SOURCE_ENTRIES = {
  '@tokenrail/core': 'packages/core/src/index.ts',
  '@tokenrail/core/axios': 'packages/core/src/axios.ts',
  '@tokenrail/core/oauth2': 'packages/core/src/oauth2.ts',
  '@tokenrail/react': 'packages/react/src/index.ts',
  '@tokenrail/mock-server': 'packages/mock-server/src/index.ts',
  '@tokenrail/mock-server/node': 'packages/mock-server/src/node.ts',
}

const fromSource = {
  name: 'tokenrail-from-source',
  setup(build) {
    build.onResolve({ filter: /^@tokenrail\// }, ({ path: specifier }) => {
      const entry = SOURCE_ENTRIES[specifier]
      return entry ? { path: path(entry) } : { errors: [{ text: `no source entry for ${specifier}` }] }
    })
    build.onResolve({ filter: /^[^./]/ }, ({ path: specifier }) => ({ path: specifier, external: true }))
  },
}

const outfile = path('node_modules/.cache/tokenrail/walkthrough.mjs')
await build({
  entryPoints: [path('scripts/walkthrough/main.ts')],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  sourcemap: 'inline',
  logLevel: 'warning',
  plugins: [fromSource],
})
await import(pathToFileURL(outfile).href)
