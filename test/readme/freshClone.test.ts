// The READMEs followed from a fresh clone, in their order, as a new user runs them: `npm ci`, the walkthrough,
// the React example three ways (msw in the page; built and served by tokenrail-mock-server; the Vite dev server
// beside the server's command with --cors), the build, the React README's own app code in a Vite app, and the
// Node examples. It tests the last commit (a clone sees nothing uncommitted) and needs the npm registry or a warm
// npm cache. `npm run test:readme`.
import { execFileSync } from 'node:child_process'
import { access, constants, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { launchBrowser, type Browser } from '../e2e/browser'
import { dashboard, refreshStorm, signIn, todosLoaded } from '../e2e/demoPage'
import { run, start, type Running } from './processes'

const root = fileURLToPath(new URL('../../', import.meta.url))
const STORM = '5 requests → 5 × 401 → 1 refresh → 5 retries → 5 × 200'
const VITE_READY = /Local:\s+(http:\/\/127\.0\.0\.1:\d+)\//
const SERVER_READY = /listening on (http:\/\/127\.0\.0\.1:\d+)/

let clone: string
let browser: Browser
const running: Running[] = []

/** Runs an npm command in the clone and fails with its output when it does not exit 0. */
async function npm(...args: string[]): Promise<string> {
  const { code, output } = await run('npm', args, clone)
  if (code !== 0) throw new Error(`npm ${args.join(' ')} exited ${code}:\n${output}`)
  return output
}

async function startInClone(command: string, args: string[], ready: RegExp): Promise<Running> {
  const process = await start(command, args, clone, ready)
  running.push(process)
  return process
}

/** The code blocks of a README that start with a file name comment (`// auth.ts: ...`), by file name. */
function readmeFiles(markdown: string): Record<string, string> {
  const files: Record<string, string> = {}
  // The first block of each name: the README's Example; later sections show variations of one file.
  for (const [, name, code] of markdown.matchAll(/```tsx?\n\/\/ ([\w.]+\.tsx?)\b[^\n]*\n([\s\S]*?)```/g)) files[name!] ??= code!
  return files
}

/** Signs in, storms, and (in cookie mode) reloads: the flow a user checks first. */
async function signInAndStorm(page: Page, url: string, { reload }: { reload: boolean }) {
  await page.goto(url)
  await signIn(page)
  await todosLoaded(page)
  expect(await refreshStorm(page)).toBe(STORM)
  if (!reload) return
  await page.reload()
  await dashboard(page).waitFor()
}

beforeAll(async () => {
  const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: root, encoding: 'utf8' }).trim()
  if (dirty) console.warn('test:readme tests the last commit; these uncommitted changes are not in it:\n' + dirty)
  clone = join(await mkdtemp(join(tmpdir(), 'tokenrail-fresh-clone-')), 'tokenrail')
  execFileSync('git', ['clone', '--quiet', '--no-hardlinks', root, clone])
  browser = await launchBrowser()
})
afterAll(async () => {
  await Promise.all(running.splice(0).map((process) => process.stop()))
  await browser?.close()
  if (clone) await rm(join(clone, '..'), { recursive: true, force: true })
})

describe('a fresh clone, following the READMEs', () => {
  it('npm ci installs everything and links tokenrail-mock-server, which says to build before it can run', async () => {
    await npm('ci', '--no-audit', '--no-fund')
    await access(join(clone, 'node_modules/.bin/tokenrail-mock-server'), constants.X_OK)
    const before = await run('npx', ['tokenrail-mock-server', '--help'], clone)
    expect(before.code).toBe(1)
    expect(before.output).toContain('the packages are not built yet')
    expect(before.output).toContain('npm run build')
  })

  it('npm start runs the walkthrough with no build', async () => {
    expect(await npm('start')).toContain('logged out')
  })

  it('npm run dev -w examples/react: the mock server in the page, login and a refresh storm', async () => {
    const dev = await startInClone('npm', ['run', 'dev', '-w', 'examples/react', '--', '--host', '127.0.0.1', '--port', '0'], VITE_READY)
    const page = await browser.context.newPage()
    await signInAndStorm(page, dev.url, { reload: false })
    expect(await page.evaluate(() => navigator.serviceWorker.controller?.scriptURL)).toBe(`${dev.url}/mockServiceWorker.js`)
    await page.close()
    await dev.stop()
  })

  it('npm run build, then npm run serve -w examples/react: the real server, in cookie mode across a reload', async () => {
    await npm('run', 'build')
    const serve = await startInClone('npm', ['run', 'serve', '-w', 'examples/react', '--', '--port', '0', '--refresh-token', 'cookie'], SERVER_READY)
    const page = await browser.context.newPage()
    await signInAndStorm(page, `${serve.url}/?mode=cookie`, { reload: true })
    const stats = (await (await fetch(`${serve.url}/__mock/stats`)).json()) as Record<string, number>
    expect(stats).toMatchObject({ logins: 1, refreshes: 2, unauthorized: 5, reuseDetected: 0 })
    await page.close()
    await serve.stop()
  })

  it('Vite on one port, npx tokenrail-mock-server --cors on another: login, refresh and a cookie-mode reload', async () => {
    const dev = await startInClone('npm', ['run', 'dev', '-w', 'examples/react', '--', '--host', '127.0.0.1', '--port', '0'], VITE_READY)
    const server = await startInClone(
      'npx',
      ['tokenrail-mock-server', '--port', '0', '--control', '--refresh-token', 'cookie', '--cors', dev.url],
      SERVER_READY,
    )
    const page = await browser.context.newPage()
    await signInAndStorm(page, `${dev.url}/?mode=cookie&api=${encodeURIComponent(server.url)}`, { reload: true })
    expect(server.output()).toContain(`pages allowed from: ${dev.url}`)
    const stats = (await (await fetch(`${server.url}/__mock/stats`)).json()) as Record<string, number>
    expect(stats).toMatchObject({ logins: 1, refreshes: 2, unauthorized: 5, reuseDetected: 0 })
    await page.close()
    await Promise.all([server.stop(), dev.stop()])
  })

  it('the React README’s app, as written, against npx tokenrail-mock-server --cors: sign in, and a reload keeps the session', async () => {
    const app = join(clone, 'readme-app')
    await mkdir(join(app, 'src'), { recursive: true })
    // What `npm create vite` gives a React app; everything in src/ is the README's own code.
    await writeFile(join(app, 'index.html'), '<!doctype html><html><body><div id="root"></div><script type="module" src="/src/main.tsx"></script></body></html>')
    await writeFile(join(app, 'vite.config.ts'), "import react from '@vitejs/plugin-react'\nexport default { plugins: [react()] }\n")
    const files = readmeFiles(await readFile(join(clone, 'packages/react/README.md'), 'utf8'))
    expect(Object.keys(files).sort()).toEqual(['App.tsx', 'auth.ts', 'main.tsx'])
    for (const [name, code] of Object.entries(files)) await writeFile(join(app, 'src', name), code)

    const dev = await start('npx', ['vite', '--host', '127.0.0.1', '--port', '0'], app, VITE_READY)
    running.push(dev)
    // The README's commands, on free ports instead of 4000 and 5173 (--control only to read the counters).
    const server = await startInClone('npx', ['tokenrail-mock-server', '--port', '0', '--refresh-token', 'cookie', '--cors', dev.url, '--control'], SERVER_READY)
    expect(files['auth.ts']).toContain("'http://localhost:4000'")
    await writeFile(join(app, 'src/auth.ts'), files['auth.ts']!.replace("'http://localhost:4000'", `'${server.url}'`))

    const page = await browser.context.newPage()
    await page.goto(dev.url)
    await page.locator('input[name=username]').fill('demo')
    await page.locator('input[name=password]').fill('demo-password')
    await page.getByRole('button', { name: 'Sign in' }).click()
    await page.getByText('Signed in as Demo User').waitFor()
    await page.reload()
    await page.getByText('Signed in as Demo User').waitFor()
    const stats = async () => (await (await fetch(`${server.url}/__mock/stats`)).json()) as Record<string, number>
    // The todo list was asked for after each sign-in (the reload's one may still be on its way)...
    await expect.poll(async () => (await stats()).apiRequests).toBeGreaterThanOrEqual(2)
    // ...with one login, the reload restored through the HttpOnly cookie, and no 401 on the way.
    expect(await stats()).toMatchObject({ logins: 1, refreshes: 1, reuseDetected: 0, unauthorized: 0 })
    await page.close()
    await Promise.all([server.stop(), dev.stop()])
  })

  it('the Node examples run against the server they start themselves', async () => {
    expect(await npm('start', '-w', 'examples/fetch')).toContain('logged out')
    expect(await npm('start', '-w', 'examples/axios')).toContain('logged out')
  })
})
