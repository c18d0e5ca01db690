import { afterEach, describe, expect, it } from 'vitest'
import type { RunningMockAuthServer } from '@tokenrail/mock-server/node'
import { CliUsageError, USAGE, parseCliArgs, runCli, type CliIO } from '../src/cli'

function fakeIO() {
  const out: string[] = []
  const err: string[] = []
  const signals = new Map<string, () => void>()
  let exitCode: number | undefined
  const io: CliIO = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    onSignal: (signal, handler) => signals.set(signal, handler),
    setExitCode: (code) => {
      exitCode = code
    },
  }
  return { io, out, err, signals, exitCode: () => exitCode }
}

const started: RunningMockAuthServer[] = []
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()))
})

describe('parseCliArgs', () => {
  it('defaults to port 4000 on 127.0.0.1, body mode, no static dir, no control endpoints', () => {
    expect(parseCliArgs([])).toEqual({
      help: false,
      options: { port: 4000, host: '127.0.0.1', refreshToken: 'body', controlEndpoints: false },
    })
  })

  it('reads every option', () => {
    const command = parseCliArgs([
      '--port', '0', '--host', '0.0.0.0', '--static', 'dist', '--refresh-token', 'cookie', '--control',
      '--access-token-ttl', '60', '--refresh-token-ttl', '3600', '--reuse-grace', '2',
    ])
    expect(command).toEqual({
      help: false,
      options: {
        port: 0,
        host: '0.0.0.0',
        staticDir: 'dist',
        refreshToken: 'cookie',
        controlEndpoints: true,
        accessTokenTtl: 60,
        refreshTokenTtl: 3600,
        reuseGraceSeconds: 2,
      },
    })
    expect(parseCliArgs(['--port=5000'])).toMatchObject({ options: { port: 5000 } })
  })

  it('reads --cors repeated and comma-separated into one list', () => {
    expect(parseCliArgs(['--cors', 'http://localhost:5173', '--cors', 'http://127.0.0.1:5173, https://app.example.com'])).toMatchObject({
      options: { cors: ['http://localhost:5173', 'http://127.0.0.1:5173', 'https://app.example.com'] },
    })
    expect(parseCliArgs([])).not.toHaveProperty('options.cors')
  })

  it('answers --help and -h', () => {
    expect(parseCliArgs(['--help'])).toEqual({ help: true })
    expect(parseCliArgs(['-h'])).toEqual({ help: true })
  })

  it.each([
    [['--port', 'abc']],
    [['--port', '70000']],
    [['--port', '-1']],
    [['--port', '1.5']],
    [['--port']],
    [['--refresh-token', 'header']],
    [['--access-token-ttl', '0']],
    [['--unknown']],
    [['positional']],
  ])('refuses %j with a usage error', (argv) => {
    expect(() => parseCliArgs(argv)).toThrow(CliUsageError)
  })
})

describe('runCli', () => {
  it('starts the server, prints its URL and the demo user, and stops on SIGINT', async () => {
    const fake = fakeIO()
    const server = await runCli(['--port', '0'], fake.io)
    expect(server).toBeDefined()
    if (!server) return
    started.push(server)

    expect(fake.out[0]).toBe(`tokenrail mock auth server listening on ${server.url}`)
    expect(fake.out[1]).toBe('demo user: demo / demo-password')
    const login = await fetch(`${server.url}/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'demo', password: 'demo-password' }),
    })
    expect(login.status).toBe(200)

    expect([...fake.signals.keys()].sort()).toEqual(['SIGINT', 'SIGTERM'])
    fake.signals.get('SIGINT')?.()
    await expect.poll(() => fake.out.at(-1)).toBe('tokenrail mock auth server stopped')
    await expect(fetch(`${server.url}/auth/login`, { method: 'POST' })).rejects.toThrow(TypeError)
  })

  it('stops on SIGTERM too', async () => {
    const fake = fakeIO()
    const server = await runCli(['--port', '0', '--refresh-token', 'cookie', '--control'], fake.io)
    if (!server) throw new Error('server did not start')
    started.push(server)
    expect(fake.out[2]).toBe('refresh token in: cookie, control endpoints on')
    expect((await fetch(`${server.url}/__mock/stats`)).status).toBe(200)
    fake.signals.get('SIGTERM')?.()
    await expect.poll(() => fake.out.at(-1)).toBe('tokenrail mock auth server stopped')
  })

  it('prints usage and sets exit code 2 for bad arguments, starting nothing', async () => {
    const fake = fakeIO()
    expect(await runCli(['--port', 'x'], fake.io)).toBeUndefined()
    expect(fake.exitCode()).toBe(2)
    expect(fake.err.join('\n')).toContain('--port needs an integer')
    expect(fake.err.join('\n')).toContain(USAGE)
    expect(fake.signals.size).toBe(0)
  })

  it('says which other origins may call it, and logs a refused one with the flag that allows it', async () => {
    const fake = fakeIO()
    const server = await runCli(['--port', '0'], fake.io)
    if (!server) throw new Error('server did not start')
    started.push(server)
    expect(fake.out[3]).toBe('pages allowed from: this origin only (--cors <origin> for others)')
    const preflight = await fetch(`${server.url}/auth/login`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://localhost:5173', 'Access-Control-Request-Method': 'POST' },
    })
    expect(preflight.status).toBe(403)
    expect(fake.err).toEqual([
      "tokenrail-mock-server: refused a request from http://localhost:5173: this server allows no other origin: start it with --cors http://localhost:5173 (option cors: ['http://localhost:5173'])",
    ])

    const allowing = fakeIO()
    const other = await runCli(['--port', '0', '--cors', 'http://localhost:5173'], allowing.io)
    if (!other) throw new Error('server did not start')
    started.push(other)
    expect(allowing.out[3]).toBe('pages allowed from: http://localhost:5173')
  })

  it.each([
    [['--cors', '*'], "cors: '*' is not accepted"],
    [['--cors', 'http://localhost:5173/'], "did you mean 'http://localhost:5173'?"],
    [['--cors', 'localhost:5173'], 'is not an http or https origin'],
  ])('refuses %j with the reason, the usage and exit code 2, starting nothing', async (argv, reason) => {
    const fake = fakeIO()
    expect(await runCli(['--port', '0', ...argv], fake.io)).toBeUndefined()
    expect(fake.exitCode()).toBe(2)
    expect(fake.err.join('\n')).toContain(reason)
    expect(fake.err.join('\n')).toContain(USAGE)
    expect(fake.signals.size).toBe(0)
  })

  it('prints usage for --help and starts nothing', async () => {
    const fake = fakeIO()
    expect(await runCli(['--help'], fake.io)).toBeUndefined()
    expect(fake.out).toEqual([USAGE])
    expect(fake.exitCode()).toBeUndefined()
  })

  it('reports a server that cannot start (port taken) with exit code 1', async () => {
    const first = await runCli(['--port', '0'], fakeIO().io)
    if (!first) throw new Error('server did not start')
    started.push(first)
    const fake = fakeIO()
    const second = await runCli(['--port', new URL(first.url).port], fake.io)
    expect(second).toBeUndefined()
    expect(fake.exitCode()).toBe(1)
    expect(fake.err[0]).toMatch(/could not start: .*EADDRINUSE/)
  })
})
