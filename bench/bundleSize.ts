import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { gzipSync } from 'node:zlib'
import { build, type Platform } from 'esbuild'
import { parseSizeConfig, type EntrySize, type SizeConfig } from './sizeBudget'

/** The repository root: the nearest folder up from here that holds packages/core. */
export function repoRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url))
  while (!existsSync(join(dir, 'packages/core/package.json'))) {
    const parent = dirname(dir)
    if (parent === dir) throw new Error('bench: cannot find the repository root (packages/core) above this file')
    dir = parent
  }
  return dir
}

export function readSizeConfig(root = repoRoot()): SizeConfig {
  return parseSizeConfig(JSON.parse(readFileSync(join(root, 'bench/budgets.json'), 'utf8')))
}

export interface PublicEntry {
  /** The import specifier users write, e.g. `@tokenrail/core/axios`. */
  entry: string
  /** The source file the entry is built from. */
  source: string
  /** `node` for an entry the exports map closes to browsers (`"browser": null`). */
  platform: Platform
}

type ExportTarget = { browser?: null; import?: { default?: string } | string } | string

/**
 * Every public entry of every package, read from the `exports` maps (so a new entry is measured the day it
 * appears): `./dist/name.js` is built from `src/name.ts` or `src/name.tsx`.
 */
export function publicEntries(root = repoRoot()): PublicEntry[] {
  const entries: PublicEntry[] = []
  for (const folder of readdirSync(join(root, 'packages')).sort()) {
    const dir = join(root, 'packages', folder)
    if (!existsSync(join(dir, 'package.json'))) continue
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name: string; exports?: Record<string, ExportTarget> }
    for (const [subpath, target] of Object.entries(pkg.exports ?? {})) {
      if (subpath === './package.json') continue
      const built = typeof target === 'string' ? target : typeof target.import === 'string' ? target.import : target.import?.default
      const name = built?.match(/^\.\/dist\/(.+)\.js$/)?.[1]
      const source = name && [`src/${name}.ts`, `src/${name}.tsx`].map((file) => join(dir, file)).find(existsSync)
      if (!source) throw new Error(`bench: cannot find the source of ${pkg.name}${subpath.slice(1)} (${String(built)})`)
      const nodeOnly = typeof target === 'object' && target.browser === null
      entries.push({ entry: `${pkg.name}${subpath.slice(1)}`, source, platform: nodeOnly ? 'node' : 'browser' })
    }
  }
  return entries
}

export interface BundleInput {
  /** A file, a package name, or source text (resolved from the repository root). */
  entry: { file: string } | { code: string }
  platform: Platform
  external: readonly string[]
}

/**
 * Bundled, minified (ESM, es2022) and gzipped at level 9: the same input gives the same bytes on every run of
 * the same esbuild. `@tokenrail/*` imports that are not external resolve to source through the root
 * tsconfig's `paths`.
 */
export async function measureBundle({ entry, platform, external }: BundleInput, root = repoRoot()): Promise<Omit<EntrySize, 'entry'>> {
  const result = await build({
    ...('file' in entry
      ? { entryPoints: [entry.file] }
      : { stdin: { contents: entry.code, resolveDir: root, sourcefile: 'app.ts', loader: 'ts' as const } }),
    absWorkingDir: root,
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2022',
    platform,
    external: [...external],
    write: false,
    outdir: join(root, 'bench/.out/size'),
    logLevel: 'silent',
  })
  const js = result.outputFiles.filter((file) => file.path.endsWith('.js'))
  if (js.length !== 1) throw new Error(`bench: expected one bundle, got ${js.length}`)
  const code = js[0]!.contents
  return { minified: code.length, gzip: gzipSync(code, { level: 9 }).length }
}

/** Each public entry of tokenrail, dependencies external (the budgeted measure), then each budgeted part of one. */
export async function measurePublicEntries(config = readSizeConfig(), root = repoRoot()): Promise<EntrySize[]> {
  const entries = publicEntries(root).map(async ({ entry, source, platform }) => ({
    entry,
    ...(await measureBundle({ entry: { file: source }, platform, external: config.external }, root)),
  }))
  const parts = Object.entries(config.parts).map(async ([entry, { code, bundle = [] }]) => ({
    entry,
    ...(await measureBundle({ entry: { code }, platform: 'browser', external: config.external.filter((name) => !bundle.includes(name)) }, root)),
  }))
  return Promise.all([...entries, ...parts])
}

/**
 * Another package's entry (what its exports map gives a bundler), measured like ours: its own dependencies
 * and peers external.
 */
export async function measurePackage(name: string, root = repoRoot()): Promise<EntrySize> {
  const pkg = JSON.parse(readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8')) as {
    version: string
    dependencies?: Record<string, string>
    peerDependencies?: Record<string, string>
  }
  const external = Object.keys({ ...pkg.dependencies, ...pkg.peerDependencies })
  return { entry: `${name}@${pkg.version}`, ...(await measureBundle({ entry: { file: name }, platform: 'browser', external }, root)) }
}

/** What an app adds to its bundle for each way of doing JWT auth over axios or fetch: everything but axios bundled. */
export const appBundles: readonly { entry: string; code: string }[] = [
  {
    entry: 'tokenrail, axios app (createAuthClient + attachAxios + jwt-decode)',
    code: "export { createAuthClient } from '@tokenrail/core'\nexport { attachAxios } from '@tokenrail/core/axios'",
  },
  { entry: 'tokenrail, fetch app (createAuthClient + jwt-decode)', code: "export { createAuthClient } from '@tokenrail/core'" },
  { entry: 'axios-auth-refresh (createAuthRefresh)', code: "export { createAuthRefresh } from 'axios-auth-refresh'" },
  {
    entry: 'axios-jwt (interceptor, set/clear tokens + jwt-decode 3 + ms)',
    code: "export { applyAuthTokenInterceptor, setAuthTokens, clearAuthTokens, isLoggedIn } from 'axios-jwt'",
  },
]

/**
 * What an app adds for a redirect login with an OpenID Connect provider (authorization code + PKCE, the callback,
 * then refresh and logout), everything bundled: tokenrail's core with the oauth2 entry and oauth4webapi, and each
 * peer through the entry its README starts from.
 */
export const redirectLoginBundles: readonly { entry: string; code: string }[] = [
  {
    entry: 'tokenrail redirect login (createAuthClient + discover, loginWithRedirect, handleRedirectCallback + oauth4webapi + jwt-decode)',
    code: "export { createAuthClient } from '@tokenrail/core'\nexport { discover, loginWithRedirect, handleRedirectCallback } from '@tokenrail/core/oauth2'",
  },
  { entry: 'oidc-client-ts (UserManager + jwt-decode)', code: "export { UserManager } from 'oidc-client-ts'" },
  { entry: '@auth0/auth0-spa-js (createAuth0Client, its dependencies as it ships them)', code: "export { createAuth0Client } from '@auth0/auth0-spa-js'" },
]

/** Each of `bundles` bundled as an app would, everything but `external` included. */
export async function measureAppBundles(bundles = appBundles, external: readonly string[] = ['axios'], root = repoRoot()): Promise<EntrySize[]> {
  return Promise.all(
    bundles.map(async ({ entry, code }) => ({
      entry,
      ...(await measureBundle({ entry: { code }, platform: 'browser', external }, root)),
    })),
  )
}
