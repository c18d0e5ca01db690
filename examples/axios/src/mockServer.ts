import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import type { Readable } from 'node:stream'

export interface MockServer {
  url: string
  /** Whether the server answers POST /__mock/clock/advance (tokenrail-mock-server --control). */
  control: boolean
  stop(): void
}

const START_TIMEOUT_MS = 10_000

/**
 * The server at `url`; with no URL, `tokenrail-mock-server --port 0 --control` (what `npx tokenrail-mock-server`
 * runs) started for this run in a child process, and stopped by `stop()`.
 */
export async function mockServer(url: string | undefined): Promise<MockServer> {
  if (url) {
    const origin = new URL(url).origin
    return { url: origin, control: await hasControl(origin), stop() {} }
  }
  const manifest = createRequire(import.meta.url).resolve('@tokenrail/mock-server/package.json')
  const { bin } = createRequire(import.meta.url)(manifest) as { bin: Record<string, string> }
  const child = spawn(process.execPath, [join(dirname(manifest), bin['tokenrail-mock-server']!), '--port', '0', '--control'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const stop = () => void child.kill()
  try {
    return { url: await listeningURL(child), control: true, stop }
  } catch (error) {
    stop()
    throw error
  }
}

const hasControl = (origin: string) =>
  fetch(`${origin}/__mock/stats`).then(
    (response) => response.ok,
    () => false,
  )

/** The URL the server prints once it listens; rejects if it exits or stays silent first. */
function listeningURL(child: ChildProcessByStdio<null, Readable, null>): Promise<string> {
  return new Promise((resolve, reject) => {
    const fail = (error: Error) => {
      clearTimeout(timer)
      reject(error)
    }
    const timer = setTimeout(() => fail(new Error('tokenrail-mock-server did not start in time')), START_TIMEOUT_MS)
    createInterface({ input: child.stdout }).on('line', (line) => {
      const url = /listening on (\S+)/.exec(line)?.[1]
      if (!url) return
      clearTimeout(timer)
      resolve(url)
    })
    child.once('exit', (code) => fail(new Error(`tokenrail-mock-server exited (${code}) before it listened`)))
    child.once('error', fail)
  })
}
