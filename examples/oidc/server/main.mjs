// node --import ./server/clock.mjs server/main.mjs --app <origin> [--port N] [--api-port N] [--access-token-ttl S] [--control]
//
// Starts the provider and the API on 127.0.0.1. Without --control it prints where they are and runs until Ctrl+C.
// With --control it is driven over its standard streams, as a test (or scripts/start.mjs) starts it: one JSON line
// `{"type":"ready",...}` on stdout once both listen, then one command per line on stdin
// (`{"id":1,"cmd":"advance","seconds":61}`), each answered on stdout (`{"type":"reply","id":1,"result":...}`); it
// exits when stdin closes, so whoever started it takes it along when it goes.
import { createInterface } from 'node:readline'
import { parseArgs } from 'node:util'
import { startAuthServer } from './authServer.mjs'

const clock = globalThis[Symbol.for('tokenrail.example.clock')]
if (!clock) throw new Error('Start this with node --import ./server/clock.mjs, so that its clock can be moved')

const { values } = parseArgs({
  options: {
    app: { type: 'string', default: 'http://127.0.0.1:4176' },
    port: { type: 'string', default: '4177' },
    'api-port': { type: 'string', default: '4178' },
    'access-token-ttl': { type: 'string', default: '60' },
    control: { type: 'boolean', default: false },
  },
})

const server = await startAuthServer({
  app: values.app,
  port: Number(values.port),
  apiPort: Number(values['api-port']),
  accessTokenTtl: Number(values['access-token-ttl']),
})
const where = { issuer: server.issuer, api: server.api, clientId: server.clientId, accessTokenTtl: server.accessTokenTtl }

if (!values.control) {
  console.log(`oidc-provider on ${server.issuer}, its API on ${server.api} (access tokens live ${server.accessTokenTtl} s)`)
  process.on('SIGINT', () => void server.close().then(() => process.exit(0)))
} else {
  const commands = {
    advance: ({ seconds }) => ({ now: clock.advance(seconds) }),
    now: () => ({ now: clock.now() }),
    stats: () => server.stats(),
    holdRefreshes: () => server.holdRefreshes(),
    releaseRefreshes: () => server.releaseRefreshes(),
  }
  const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`)
  const lines = createInterface({ input: process.stdin })
  lines.on('line', async (line) => {
    let id
    try {
      const message = JSON.parse(line)
      id = message.id
      const command = commands[message.cmd]
      if (!command) throw new Error(`unknown command ${message.cmd}`)
      send({ type: 'reply', id, result: (await command(message)) ?? null })
    } catch (error) {
      send({ type: 'reply', id, error: String(error?.stack ?? error) })
    }
  })
  lines.on('close', () => process.exit(0))
  process.on('SIGTERM', () => process.exit(0))
  send({ type: 'ready', pid: process.pid, ...where })
}
