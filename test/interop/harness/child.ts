import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

/** A backend process and its control channel (JSON lines: commands on stdin, `ready` and replies on stdout). */
export interface ServerProcess<Ready> {
  pid: number
  /** What the child printed once it listened (its URLs, its settings). */
  ready: Ready
  /** Sends one command (`advance`, `now`, `stats`, ...) and resolves its result. */
  call<T = unknown>(cmd: string, args?: Record<string, unknown>): Promise<T>
  /** Ends the process by its pid and waits for it to exit. */
  stop(): Promise<void>
}

const running = new Set<ChildProcess>()

// A test run that ends early (a failed hook, Ctrl-C) still ends its servers, by their pids. The children also exit
// on their own when their stdin closes, which covers a runner killed with SIGKILL.
process.once('exit', () => {
  for (const child of running) if (child.pid) tryKill(child.pid, 'SIGKILL')
})

function tryKill(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(pid, signal)
  } catch {
    // already gone
  }
}

/**
 * Starts a backend and resolves once it printed `{"type":"ready"}` (with the port the system gave it), or rejects
 * with its stderr if it exits or prints nothing usable within `startTimeout` ms.
 */
export function startServerProcess<Ready>(
  name: string,
  command: string,
  args: readonly string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; startTimeout?: number } = {},
): Promise<ServerProcess<Ready>> {
  const child = spawn(command, args, {
    cwd: options.cwd,
    env: { ...process.env, ...options.env },
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  running.add(child)
  let stderr = ''
  child.stderr!.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8000)
    if (process.env.INTEROP_SERVER_LOGS) process.stderr.write(`[${name}] ${chunk}`)
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => (running.delete(child), resolve(code))))
  const pending = new Map<number, { resolve(value: unknown): void; reject(error: Error): void }>()
  let nextId = 1

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => fail(new Error(`${name} printed no ready line in ${options.startTimeout ?? 30_000} ms`)), options.startTimeout ?? 30_000)
    const fail = (error: Error) => {
      clearTimeout(timer)
      if (child.pid) tryKill(child.pid, 'SIGKILL')
      reject(new Error(`${error.message}\n--- ${name} stderr ---\n${stderr}`))
    }
    child.once('error', fail)
    void exited.then((code) => {
      for (const { reject: rejectCall } of pending.values()) rejectCall(new Error(`${name} exited (${code})\n${stderr}`))
      pending.clear()
      fail(new Error(`${name} exited with ${code} before it was ready`))
    })
    createInterface({ input: child.stdout! }).on('line', (line) => {
      let message: { type?: string; id?: number; result?: unknown; error?: string }
      try {
        message = JSON.parse(line)
      } catch {
        return // a library printing to stdout; the protocol lines are JSON objects
      }
      if (message.type === 'ready') {
        clearTimeout(timer)
        resolve(handle(message as Ready))
      } else if (message.type === 'reply' && message.id !== undefined) {
        const call = pending.get(message.id)
        pending.delete(message.id)
        if (message.error) call?.reject(new Error(`${name}: ${message.error}`))
        else call?.resolve(message.result)
      }
    })
  })

  function handle(ready: Ready): ServerProcess<Ready> {
    return {
      pid: child.pid!,
      ready,
      call<T>(cmd: string, args: Record<string, unknown> = {}) {
        const id = nextId++
        return new Promise<T>((resolve, reject) => {
          pending.set(id, { resolve: resolve as (value: unknown) => void, reject })
          child.stdin!.write(`${JSON.stringify({ ...args, id, cmd })}\n`)
        })
      },
      async stop() {
        if (child.exitCode !== null || child.signalCode !== null) return
        tryKill(child.pid!, 'SIGTERM')
        const forced = setTimeout(() => tryKill(child.pid!, 'SIGKILL'), 5_000)
        await exited
        clearTimeout(forced)
      },
    }
  }
}
