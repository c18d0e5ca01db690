// `tokenrail-mock-server`: the Node server from the command line. Kept apart from bin.ts so tests can drive it.
import { parseArgs } from 'node:util'
import { DEMO_USER, type RefreshTokenMode } from '@tokenrail/mock-server'
import { startMockAuthServer, type RunningMockAuthServer, type StartMockAuthServerOptions } from '@tokenrail/mock-server/node'

export const USAGE = `Usage: tokenrail-mock-server [options]

  --port <n>                   port to listen on, 0 for any free one (default 4000)
  --host <address>             address to bind (default 127.0.0.1)
  --static <dir>               serve a built app from <dir> on the same origin
  --cors <origin>              let pages on <origin> call the server (exact origin, e.g.
                               http://localhost:5173; repeat it or separate with commas; never *)
  --refresh-token body|cookie  where the refresh token travels (default body)
  --access-token-ttl <s>       access token lifetime in seconds (default 300)
  --refresh-token-ttl <s>      login lifetime in seconds (default 86400)
  --reuse-grace <s>            grace window for a just-spent refresh token (default 0)
  --control                    expose /__mock/clock/advance, /__mock/stats, /__mock/reset
  --help                       show this help`

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError'
}

export type CliCommand = { help: true } | { help: false; options: StartMockAuthServerOptions }

export function parseCliArgs(argv: readonly string[]): CliCommand {
  let values
  try {
    ;({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        static: { type: 'string' },
        cors: { type: 'string', multiple: true },
        'refresh-token': { type: 'string' },
        'access-token-ttl': { type: 'string' },
        'refresh-token-ttl': { type: 'string' },
        'reuse-grace': { type: 'string' },
        control: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }))
  } catch (error) {
    throw new CliUsageError(error instanceof Error ? error.message : String(error))
  }
  if (values.help) return { help: true }
  const options: StartMockAuthServerOptions = {
    port: integerArg('--port', values.port, 0, 65_535) ?? 4000,
    host: values.host ?? '127.0.0.1',
    refreshToken: refreshModeArg(values['refresh-token']),
    controlEndpoints: values.control ?? false,
  }
  if (values.static !== undefined) options.staticDir = values.static
  if (values.cors !== undefined) options.cors = corsArg(values.cors)
  const accessTokenTtl = integerArg('--access-token-ttl', values['access-token-ttl'], 1)
  const refreshTokenTtl = integerArg('--refresh-token-ttl', values['refresh-token-ttl'], 1)
  const reuseGraceSeconds = integerArg('--reuse-grace', values['reuse-grace'], 0)
  if (accessTokenTtl !== undefined) options.accessTokenTtl = accessTokenTtl
  if (refreshTokenTtl !== undefined) options.refreshTokenTtl = refreshTokenTtl
  if (reuseGraceSeconds !== undefined) options.reuseGraceSeconds = reuseGraceSeconds
  return { help: false, options }
}

export interface CliIO {
  out(line: string): void
  err(line: string): void
  onSignal(signal: 'SIGINT' | 'SIGTERM', handler: () => void): void
  setExitCode(code: number): void
}

const processIO: CliIO = {
  out: (line) => console.log(line),
  err: (line) => console.error(line),
  onSignal: (signal, handler) => process.once(signal, handler),
  setExitCode: (code) => {
    process.exitCode = code
  },
}

/** Starts the server the arguments describe and stops it on SIGINT/SIGTERM; returns it, or undefined when it did not start. */
export async function runCli(argv: readonly string[], io: CliIO = processIO): Promise<RunningMockAuthServer | undefined> {
  let command: CliCommand
  try {
    command = parseCliArgs(argv)
  } catch (error) {
    io.err(`${(error as Error).message}\n\n${USAGE}`)
    io.setExitCode(2)
    return undefined
  }
  if (command.help) {
    io.out(USAGE)
    return undefined
  }
  let server: RunningMockAuthServer
  try {
    server = await startMockAuthServer({ ...command.options, log: (message) => io.err(`tokenrail-mock-server: ${message}`) })
  } catch (error) {
    // The server refuses bad options (an origin that is not one, a static dir that is not a directory) with a
    // TypeError or RangeError: a usage error like a bad flag. Anything else (a port in use) is a failure to start.
    const usage = error instanceof TypeError || error instanceof RangeError
    io.err(`tokenrail-mock-server could not start: ${(error as Error).message}${usage ? `\n\n${USAGE}` : ''}`)
    io.setExitCode(usage ? 2 : 1)
    return undefined
  }
  io.out(`tokenrail mock auth server listening on ${server.url}`)
  io.out(`demo user: ${DEMO_USER.username} / ${DEMO_USER.password}`)
  io.out(`refresh token in: ${command.options.refreshToken ?? 'body'}${command.options.controlEndpoints ? ', control endpoints on' : ''}`)
  io.out(command.options.cors ? `pages allowed from: ${command.options.cors.join(', ')}` : 'pages allowed from: this origin only (--cors <origin> for others)')
  const stop = () => {
    server.close().then(
      () => io.out('tokenrail mock auth server stopped'),
      (error: unknown) => {
        io.err(`tokenrail-mock-server failed to stop cleanly: ${(error as Error).message}`)
        io.setExitCode(1)
      },
    )
  }
  io.onSignal('SIGINT', stop)
  io.onSignal('SIGTERM', stop)
  return server
}

function integerArg(flag: string, raw: string | undefined, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  if (raw === undefined) return undefined
  const value = Number(raw)
  if (!/^\d+$/.test(raw) || value < min || value > max) throw new CliUsageError(`${flag} needs an integer from ${min} to ${max}, got ${raw}`)
  return value
}

/** Every --cors value, commas splitting one value into several; the server checks each is an exact origin. */
function corsArg(raw: readonly string[]): string[] {
  return raw.flatMap((value) => value.split(',')).map((value) => value.trim())
}

function refreshModeArg(raw: string | undefined): RefreshTokenMode {
  if (raw === undefined || raw === 'body' || raw === 'cookie') return raw ?? 'body'
  throw new CliUsageError(`--refresh-token needs body or cookie, got ${raw}`)
}
