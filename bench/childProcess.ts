import { spawn } from 'node:child_process'

/**
 * Runs this same bundle in a fresh Node process (`bench.mjs <mode> ...args`) and returns the JSON value the
 * child printed last on stdout. A fresh process per measurement gives each client a heap and a JIT state of its
 * own, as in an app that has one way of authenticating, instead of axios' code shared by every client at once.
 */
export function runChild<T>(args: readonly string[], nodeFlags: readonly string[] = []): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeFlags, process.argv[1]!, ...args], { stdio: ['ignore', 'pipe', 'inherit'] })
    let output = ''
    child.stdout.on('data', (chunk: Buffer) => (output += chunk))
    child.on('error', reject)
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`bench child ${args.join(' ')} exited with ${code}`))
      try {
        resolve(JSON.parse(output.trim().split('\n').pop()!) as T)
      } catch (cause) {
        reject(new Error(`bench child ${args.join(' ')} printed no JSON`, { cause }))
      }
    })
  })
}
