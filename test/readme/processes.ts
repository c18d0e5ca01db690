// Commands run the way a person runs them in a terminal: in a directory, with a clean environment, and for the
// long-running ones (dev servers, the mock server) stopped by the test by their process group id.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

/**
 * The environment of a fresh terminal: nothing of the test runner (vitest sets NODE_ENV=test, which Vite reads),
 * nothing npm passes to the scripts it runs, and no node_modules/.bin of another checkout on the PATH.
 */
export function terminalEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) {
    if (name === 'NODE_ENV' || name === 'INIT_CWD' || name.startsWith('VITEST') || name.toLowerCase().startsWith('npm_')) continue
    env[name] = value
  }
  env.PATH = (process.env.PATH ?? '')
    .split(':')
    .filter((dir) => !dir.includes('/node_modules/.bin'))
    .join(':')
  return env
}

export interface Finished {
  code: number | null
  output: string
}

/** Runs a command to its end; resolves with its exit code and its stdout and stderr together. */
export function run(command: string, args: string[], cwd: string): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env: terminalEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.once('error', reject)
    child.once('close', (code) => resolve({ code, output }))
  })
}

export interface Running {
  /** What `ready` captured from the output: the URL the command said it listens on. */
  url: string
  /** Everything it printed so far. */
  output(): string
  /** Stops the command and everything it started (npm, sh, node), by its process group id. */
  stop(): Promise<void>
}

const ANSI = /\x1b\[[0-9;]*m/g

/**
 * Starts a long-running command in a process group of its own and resolves once a line of its output matches
 * `ready` (its first group is the URL). Rejects if it exits first, or says nothing matching within `timeoutMs`.
 */
export function start(command: string, args: string[], cwd: string, ready: RegExp, timeoutMs = 120_000): Promise<Running> {
  const child = spawn(command, args, { cwd, env: terminalEnv(), stdio: ['ignore', 'pipe', 'pipe'], detached: true })
  let output = ''
  const stop = () => stopGroup(child)
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer)
      void stop().then(() => reject(new Error(`${command} ${args.join(' ')} ${reason}\n${output}`)))
    }
    const timer = setTimeout(() => fail(`printed nothing matching ${ready} in ${timeoutMs} ms`), timeoutMs)
    const onLine = (line: string) => {
      output += `${line}\n`
      const url = ready.exec(line.replace(ANSI, ''))?.[1]
      if (!url) return
      clearTimeout(timer)
      resolve({ url, output: () => output, stop })
    }
    createInterface({ input: child.stdout! }).on('line', onLine)
    createInterface({ input: child.stderr! }).on('line', onLine)
    child.once('exit', (code) => fail(`exited (${code}) before it was ready`))
    child.once('error', (error) => fail(`failed to start: ${error.message}`))
  })
}

function stopGroup(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve()
  return new Promise((resolve) => {
    child.once('exit', () => resolve())
    try {
      process.kill(-child.pid!, 'SIGTERM')
    } catch {
      resolve()
    }
  })
}
