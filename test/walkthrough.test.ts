// `npm start` as a new user runs it: a child process from a clean environment, output to a pipe (not a TTY).
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { beforeAll, describe, expect, it } from 'vitest'

const root = fileURLToPath(new URL('..', import.meta.url))

function runStart(env: NodeJS.ProcessEnv): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['scripts/start.mjs'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('close', (code) => resolve({ code, stdout, stderr }))
  })
}

const STEPS = [
  'Log in: POST the credentials, get a token pair',
  "Read the access token: a signed JWT with the user's claims",
  'Call the protected API: the client adds the Bearer header',
  'Time passes: the access token expires on the server',
  'A 401, a transparent refresh, and the retry',
  'Ten concurrent requests share one refresh',
  'Rotation: every refresh spends its refresh token and issues a new one',
  'Replay of a stolen refresh token: the family is revoked',
  "The client's next refresh ends the session",
  'Log in again, then log out: the server revokes the session',
]

describe('npm start (the walkthrough)', () => {
  let run: Awaited<ReturnType<typeof runStart>>
  beforeAll(async () => {
    run = await runStart({ PATH: process.env.PATH, HOME: process.env.HOME })
  }, 60_000)

  it('exits 0 and says every step behaved', () => {
    expect(run.stderr).toBe('')
    expect(run.code).toBe(0)
    expect(run.stdout.trimEnd().split('\n').at(-1)).toBe(`✓ all ${STEPS.length} steps behaved as described`)
  })

  it('prints the steps in order, numbered', () => {
    const positions = STEPS.map((title, index) => run.stdout.indexOf(`${String(index + 1).padStart(2)}. ${title}\n`))
    expect(positions.every((position) => position >= 0)).toBe(true)
    expect(positions).toEqual([...positions].sort((a, b) => a - b))
  })

  it('shows method, URL and status of what went over the wire', () => {
    const origin = /mock auth server at (http:\/\/127\.0\.0\.1:\d+)/.exec(run.stdout)?.[1]
    expect(origin).toBeDefined()
    expect(run.stdout).toContain(`POST ${origin}/auth/login 200`)
    expect(run.stdout).toContain(`POST ${origin}/api/todos 401 invalid_token`)
    expect(run.stdout).toContain(`10 × GET ${origin}/api/todos 200`)
    expect(run.stdout).toContain(`attacker: POST ${origin}/auth/refresh 400 invalid_grant`)
    expect(run.stdout).toContain(`POST ${origin}/auth/logout 204`)
  })

  it('proves with the server count that ten concurrent requests made one refresh', () => {
    expect(run.stdout).toContain('server refresh count: 1 (refresh requests: 1)')
  })

  it('never prints a whole token', () => {
    // A JWT starts with eyJ and has three dot-separated parts; the refresh tokens are long base64url strings.
    expect(run.stdout).not.toMatch(/eyJ[\w-]+\.[\w-]+\./)
    expect(run.stdout).not.toMatch(/[\w-]{24,}/)
    expect(run.stdout).toMatch(/Authorization: Bearer eyJhbG…[\w-]{6}\n/)
  })

  it('fits 80 columns and has no colour codes when the output is not a terminal', () => {
    const lines = run.stdout.split('\n')
    expect(Math.max(...lines.map((line) => [...line].length))).toBeLessThanOrEqual(80)
    expect(run.stdout).not.toContain('\u001b[')
  })
})
