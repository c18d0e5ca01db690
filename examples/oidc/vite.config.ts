import { fileURLToPath } from 'node:url'
import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

const packages = fileURLToPath(new URL('../../packages', import.meta.url))

// The app's origin is the redirect URI the provider knows (http://127.0.0.1:4176/callback): the port is fixed.
const server = { host: '127.0.0.1', port: 4176, strictPort: true }

export default defineConfig({
  plugins: [react()],
  server,
  preview: server,
  resolve: {
    // Inside this repository the app runs on the packages' sources, so no package build is needed first.
    // An app of your own imports the installed packages and needs no alias.
    alias: [
      { find: /^@tokenrail\/([\w-]+)$/, replacement: `${packages}/$1/src/index.ts` },
      { find: /^@tokenrail\/([\w-]+)\/([\w-]+)$/, replacement: `${packages}/$1/src/$2.ts` },
    ],
  },
})
