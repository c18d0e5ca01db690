// `npm start`: the mock auth server (the API) and the SSR server in front of it, on one free port each.
import { fileURLToPath } from 'node:url'
import { startMockAuthServer } from '@tokenrail/mock-server/node'
import { startSsrServer } from './startSsrServer'

const api = await startMockAuthServer({ port: 0 })
const ssr = await startSsrServer({
  clientDir: fileURLToPath(new URL('../client', import.meta.url)),
  api: api.url,
  port: Number(process.env.PORT ?? 4175),
})
console.log(`tokenrail SSR example on ${ssr.url} (sign in as demo / demo-password); Ctrl+C stops it`)
const stop = () => void Promise.all([ssr.close(), api.close()]).then(() => process.exit(0))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
