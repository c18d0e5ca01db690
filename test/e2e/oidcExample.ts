// examples/oidc for the browser tests: the app built with Vite and served on a free port, its provider and API
// (server/main.mjs, with its movable clock) in a child process on free ports, driven over its control channel and
// stopped by its pid; and the app as a person uses it, by roles, labels and visible text.
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { BrowserContext, Page } from 'playwright-core'
import { build } from 'vite'
import { afterAll, afterEach, beforeAll, beforeEach } from 'vitest'
import { startServerProcess, type ServerProcess } from '../interop/harness/child'
import { launchBrowser, type Browser } from './browser'
import { serveStatic, type StaticHost } from './staticHost'

const exampleRoot = fileURLToPath(new URL('../../examples/oidc', import.meta.url))
const serverFile = (name: string) => join(exampleRoot, 'server', name)

/** What the provider and the API counted (server/authServer.mjs). */
export interface ProviderStats {
  codeExchanges: number
  refreshes: number
  refreshesRefused: number
  revocations: number
  grantsRevoked: number
  apiOk: number
  apiRefused: number
  refreshesHeld: number
}

interface Ready {
  issuer: string
  api: string
  clientId: string
  accessTokenTtl: number
}

export interface OidcExample {
  /** The app's origin; its `/callback` is the redirect URI the provider knows. */
  app: string
  issuer: string
  api: string
  accessTokenTtl: number
  stats(): Promise<ProviderStats>
  /** Moves the provider's and the API's clock (one process) forward. */
  advance(seconds: number): Promise<void>
  /** Holds every refresh answer (the refresh itself is done) until `releaseRefreshes()`. */
  holdRefreshes(): Promise<void>
  releaseRefreshes(): Promise<void>
  /** Asks the token endpoint for a refresh with `refreshToken`, as any client could. */
  refreshAtProvider(refreshToken: string): Promise<{ status: number; body: { error?: string } }>
  close(): Promise<void>
}

/**
 * Builds the app with the provider's and the API's URLs, which exist only once the provider listens; the app's
 * own origin exists before (the provider registers its redirect URI), so the static host starts first, on an
 * empty folder it reads at each request. React's development build, so StrictMode runs every effect twice, as in
 * `npm start`: the callback must still exchange its code once.
 */
async function buildApp(outDir: string, ready: Ready): Promise<void> {
  const saved = { ...process.env }
  Object.assign(process.env, { NODE_ENV: 'development', VITE_OIDC_ISSUER: ready.issuer, VITE_OIDC_API: ready.api })
  try {
    await build({
      root: exampleRoot,
      configFile: join(exampleRoot, 'vite.config.ts'),
      mode: 'development',
      logLevel: 'warn',
      // React's development build is over Vite's 500 kB warning; the production build is not.
      build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 2048 },
    })
  } finally {
    for (const name of ['NODE_ENV', 'VITE_OIDC_ISSUER', 'VITE_OIDC_API']) {
      if (saved[name] === undefined) delete process.env[name]
      else process.env[name] = saved[name]
    }
  }
}

/**
 * Starts the example: access tokens live `accessTokenTtl` seconds on the servers' clock. The tests move that clock
 * past it; the pages' own clocks stay real, and 300 s keeps any page's proactive refresh (30 s before expiry, by
 * the page's clock) out of the few seconds a test lasts.
 */
export async function startOidcExample({ accessTokenTtl = 300 } = {}): Promise<OidcExample> {
  const dir = await mkdtemp(join(tmpdir(), 'tokenrail-oidc-'))
  let host: StaticHost | undefined
  let provider: ServerProcess<Ready> | undefined
  try {
    host = await serveStatic(dir)
    const args = ['--import', serverFile('clock.mjs'), serverFile('main.mjs'), '--app', host.origin, '--port', '0', '--api-port', '0']
    provider = await startServerProcess<Ready>('examples/oidc provider', process.execPath, [...args, '--access-token-ttl', String(accessTokenTtl), '--control'])
    await buildApp(dir, provider.ready)
  } catch (error) {
    await provider?.stop()
    await host?.close()
    await rm(dir, { recursive: true, force: true })
    throw error
  }
  const { issuer, api } = provider.ready
  const control = provider
  const app = host.origin
  const staticHost = host
  return {
    app,
    issuer,
    api,
    accessTokenTtl,
    stats: () => control.call<ProviderStats>('stats'),
    advance: (seconds) => control.call('advance', { seconds }).then(() => undefined),
    holdRefreshes: () => control.call('holdRefreshes').then(() => undefined),
    releaseRefreshes: () => control.call('releaseRefreshes').then(() => undefined),
    async refreshAtProvider(refreshToken) {
      const form = new URLSearchParams({ grant_type: 'refresh_token', refresh_token: refreshToken, client_id: provider.ready.clientId, resource: api })
      const response = await fetch(`${issuer}/token`, { method: 'POST', body: form })
      return { status: response.status, body: (await response.json()) as { error?: string } }
    },
    async close() {
      await control.stop()
      await staticHost.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export interface OidcSuite {
  /** One example for the test file. */
  example: OidcExample
  /** A fresh browser for each test (a new profile: no cookie at the provider, nothing in storage). */
  browser: Browser
  /** What the provider and the API counted since the test began. */
  counted(): Promise<ProviderStats>
}

/** Registers a test file's hooks: the example started once, a browser launched (offline) for each test. */
export function oidcSuite(): OidcSuite {
  let since: ProviderStats
  const suite = {
    async counted() {
      const now = await suite.example.stats()
      return Object.fromEntries(Object.entries(now).map(([name, value]) => [name, value - since[name as keyof ProviderStats]])) as unknown as ProviderStats
    },
  } as OidcSuite
  beforeAll(async () => {
    suite.example = await startOidcExample()
  })
  beforeEach(async () => {
    suite.browser = await launchBrowser()
    await offline(suite.browser.context)
    since = await suite.example.stats()
  })
  afterEach(async () => {
    await suite.browser?.close()
  })
  afterAll(async () => {
    await suite.example?.close()
  })
  return suite
}

/** The web font the provider's pages load from the internet, which this machine does not reach. */
const FONTS = /^https:\/\/fonts\.(googleapis|gstatic)\.com\//

/** Refuses the provider pages' web font at once, rather than waiting for a network there is not. */
export async function offline(context: BrowserContext): Promise<void> {
  await context.route(FONTS, (route) => route.abort())
}

/**
 * What the page logged as an error, apart from Chromium's own line for each answer that was not 2xx (a 401 that a
 * refresh follows is expected): those go to `failedLoads`.
 */
export function consoleProblems(page: Page): { problems: string[]; failedLoads: string[] } {
  const logged = { problems: [] as string[], failedLoads: [] as string[] }
  page.on('console', (message) => {
    if (message.type() !== 'error' || FONTS.test(message.location().url)) return
    const text = message.text()
    ;(text.startsWith('Failed to load resource') ? logged.failedLoads : logged.problems).push(text)
  })
  page.on('pageerror', (error) => void logged.problems.push(error.message))
  return logged
}

/**
 * The provider's own login page (skipped when the browser is signed in there already), then its consent page, as
 * a person fills them in.
 */
export async function signInAtProvider(page: Page, example: OidcExample, login = 'alice'): Promise<void> {
  await page.waitForURL((url) => url.origin === example.issuer)
  const loginField = page.getByPlaceholder('Enter any login')
  const consent = page.getByRole('button', { name: 'Continue' })
  await loginField.or(consent).waitFor()
  if (await loginField.isVisible()) {
    await loginField.fill(login)
    await page.getByPlaceholder('and password').fill('any password')
    await page.getByRole('button', { name: 'Sign-in' }).click()
  }
  await consent.click()
}

/** The full sign-in from `/account`; resolves the callback URL exactly as the provider sent the browser to it. */
export async function signIn(page: Page, example: OidcExample, login = 'alice'): Promise<URL> {
  const callback = page.waitForRequest((request) => request.isNavigationRequest() && request.url().startsWith(`${example.app}/callback?`))
  await page.goto(`${example.app}/account`)
  await signInAtProvider(page, example, login)
  const url = new URL((await callback).url())
  await accountPage(page, login).waitFor()
  return url
}

const nameOf = (login: string) => login.charAt(0).toUpperCase() + login.slice(1)

export const accountPage = (page: Page, login = 'alice') => page.getByRole('heading', { name: `Account of ${nameOf(login)}` })
export const apiAnswer = (page: Page) => page.getByRole('status', { name: 'API answer' })

/**
 * Clicks "Call the API" and waits for the answer of that call. The click is dispatched as an event: a full
 * Playwright click waits for animation frames, which Chromium runs slowly in background tabs, so clicks meant to
 * land in several tabs at once would run in turn.
 */
export async function callApi(page: Page): Promise<string> {
  const before = (await apiAnswer(page).textContent()) ?? ''
  const call = Number(/^Call (\d+)/.exec(before)?.[1] ?? 0) + 1
  await page.getByRole('button', { name: 'Call the API' }).dispatchEvent('click')
  const answer = apiAnswer(page).filter({ hasText: new RegExp(`^Call ${call}\\b`) })
  await answer.waitFor()
  return (await answer.textContent()) ?? ''
}

/** The session as the page's client keeps it in localStorage (the refresh token included). */
export async function storedSession(page: Page): Promise<{ accessToken: string; refreshToken?: string; idToken?: string } | null> {
  const record = await page.evaluate(() => {
    const key = Object.keys(localStorage).find((name) => name.startsWith('tokenrail:') && !name.startsWith('tokenrail:redirect:'))
    return key ? localStorage.getItem(key) : null
  })
  return record ? (JSON.parse(record) as { accessToken: string; refreshToken?: string; idToken?: string }) : null
}
