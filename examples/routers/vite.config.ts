import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const packages = fileURLToPath(new URL('../../packages', import.meta.url))

// `--mode react-router` or `--mode tanstack-router`, each built into its own folder under dist/.
export default defineConfig(({ mode }) => ({
  plugins: [react()],
  resolve: {
    // Inside this repository the app runs on the packages' sources, so no package build is needed first.
    alias: [{ find: /^@tokenrail\/([\w-]+)$/, replacement: `${packages}/$1/src/index.ts` }],
  },
  build: { outDir: `dist/${mode}`, emptyOutDir: true },
}))
