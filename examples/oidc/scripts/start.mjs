// `npm start -w examples/oidc`: the provider and the API (a child process with a movable clock) and Vite's dev
// server for the app, all on 127.0.0.1: the app on 4176, the provider on 4177, the API on 4178. Ctrl+C stops all.
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { createServer } from 'vite'

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const APP = 'http://127.0.0.1:4176'

// --control: the child answers commands on its stdin and exits when this process goes, however it goes.
const provider = spawn(process.execPath, ['--import', here('../server/clock.mjs'), here('../server/main.mjs'), '--app', APP, '--control'], {
  stdio: ['pipe', 'pipe', 'inherit'],
})
const ready = await new Promise((resolve, reject) => {
  provider.once('exit', (code) => reject(new Error(`the provider exited (${code}) before it listened`)))
  createInterface({ input: provider.stdout }).on('line', (line) => {
    const message = JSON.parse(line)
    if (message.type === 'ready') resolve(message)
  })
})

// What the app reads as import.meta.env (the same as .env says, unless the ports change).
process.env.VITE_OIDC_ISSUER = ready.issuer
process.env.VITE_OIDC_API = ready.api
const vite = await createServer({ root: here('..') })
await vite.listen()
console.log(`\n  oidc-provider  ${ready.issuer} (its login page takes any login and password)`)
console.log(`  API            ${ready.api}/api/me (access tokens live ${ready.accessTokenTtl} s)`)
vite.printUrls()

const stop = () => void vite.close().finally(() => (provider.kill('SIGTERM'), process.exit(0)))
process.on('SIGINT', stop)
process.on('SIGTERM', stop)
