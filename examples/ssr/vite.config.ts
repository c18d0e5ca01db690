import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const packages = fileURLToPath(new URL('../../packages', import.meta.url))

// `vite build`: the browser bundle, at a fixed name the server's HTML points to. `vite build --ssr src/main.ts`:
// the server, into dist/server.
export default defineConfig(({ isSsrBuild }) => ({
  plugins: [react()],
  resolve: {
    // Inside this repository the example runs on the packages' sources, so no package build is needed first.
    alias: [
      { find: /^@tokenrail\/([\w-]+)$/, replacement: `${packages}/$1/src/index.ts` },
      { find: /^@tokenrail\/([\w-]+)\/([\w-]+)$/, replacement: `${packages}/$1/src/$2.ts` },
    ],
  },
  build: isSsrBuild
    ? { outDir: 'dist/server', emptyOutDir: true }
    : {
        outDir: 'dist/client',
        emptyOutDir: true,
        rolldownOptions: { input: 'src/entryClient.tsx', output: { entryFileNames: 'assets/client.js' } },
      },
}))
