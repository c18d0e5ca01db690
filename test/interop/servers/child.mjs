// The child side of the control channel every backend speaks (the Django one has the same in Python):
// the child prints one JSON line `{"type":"ready", ...}` on stdout once it listens, then reads commands as JSON lines
// on stdin (`{"id":1,"cmd":"advance","seconds":61}`) and answers each on stdout (`{"type":"reply","id":1,"result":...}`).
// Logs go to stderr. The child exits when stdin closes, so a test runner that dies takes its servers with it.
import { createInterface } from 'node:readline'
import { installShiftedDate } from './shiftedDate.mjs'

const clock = installShiftedDate()

const send = (message) => process.stdout.write(`${JSON.stringify(message)}\n`)

/**
 * Counters every backend keeps, in the same shape.
 * @returns {{ logins: number, refreshesAccepted: number, refreshesRefused: number, resourceOk: number, resourceRefused: number, logouts: number }}
 */
export function createStats() {
  return { logins: 0, refreshesAccepted: 0, refreshesRefused: 0, resourceOk: 0, resourceRefused: 0, logouts: 0 }
}

/**
 * Node's own `Date` response header reads the real clock; the server's moved clock is the one a client may compare
 * with, so every answer carries that one instead.
 * @param {import('node:http').ServerResponse} response
 */
export function dateHeader(response) {
  response.setHeader('Date', new Date().toUTCString())
}

/**
 * @param {{ start(): Promise<Record<string, unknown>>, commands?: Record<string, (args: any) => unknown> }} backend
 */
export async function runChild({ start, commands = {} }) {
  const handlers = {
    advance: ({ seconds }) => ({ now: clock.advance(seconds) }),
    now: () => ({ now: clock.now() }),
    ...commands,
  }
  const lines = createInterface({ input: process.stdin })
  lines.on('line', async (line) => {
    let id
    try {
      const message = JSON.parse(line)
      id = message.id
      const handler = handlers[message.cmd]
      if (!handler) throw new Error(`unknown command ${message.cmd}`)
      send({ type: 'reply', id, result: (await handler(message)) ?? null })
    } catch (error) {
      send({ type: 'reply', id, error: String(error?.stack ?? error) })
    }
  })
  lines.on('close', () => process.exit(0))
  process.on('SIGTERM', () => process.exit(0))
  const info = await start()
  send({ type: 'ready', pid: process.pid, ...info })
}

/**
 * Listens on 127.0.0.1 with a port the system picks.
 * @param {import('node:http').Server} server
 * @returns {Promise<string>} the server's origin
 */
export function listen(server) {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => resolve(`http://127.0.0.1:${server.address().port}`))
  })
}
