// npm run bench: tokenrail beside axios-auth-refresh and axios-jwt on one in-process fake server. Prints the
// tables and writes bench/results.json (bench/results.local.json for a partial run: --only=storm,overhead,...).
import { writeFileSync } from 'node:fs'
import { cpus, loadavg, platform, release, totalmem } from 'node:os'
import { join } from 'node:path'
import { measureAppBundles, measurePackage, measurePublicEntries, readSizeConfig, redirectLoginBundles, repoRoot } from './bundleSize'
import { memoryChild, runMemory, type MemoryRow } from './memory'
import { runMockServer, type MockServerRow } from './mockServer'
import { overheadChild, runOverhead, type OverheadRow } from './overhead'
import { judgeSizes, kib, type EntrySize, type JudgedEntry } from './sizeBudget'
import { runLate401, runStorms, type Late401Row, type StormRow } from './storm'
import { formatTable } from './table'

const SECTIONS = ['storm', 'late401', 'overhead', 'size', 'memory', 'mock'] as const
type Section = (typeof SECTIONS)[number]

export interface BenchResults {
  date: string
  node: string
  machine: { cpu: string; cores: number; memoryGiB: number; os: string }
  /** 1-minute load average when the run started and ended: above the core count, other work shared the CPU. */
  load: { start: number; end: number }
  seconds: number
  storm?: StormRow[]
  late401?: Late401Row[]
  overhead?: { rounds: number; requests: number; rows: OverheadRow[] }
  /** `redirectLogin`: what an app adds for a redirect login with an OpenID Connect provider, everything bundled. */
  size?: { entries: JudgedEntry[]; peers: EntrySize[]; apps: EntrySize[]; redirectLogin?: EntrySize[] }
  memory?: MemoryRow[]
  mockServer?: MockServerRow[]
}

const int = (value: number) => Math.round(value).toLocaleString('en-US')
const fixed = (value: number, digits = 2) => value.toFixed(digits)

function options(argv: readonly string[]) {
  const value = (name: string) => argv.find((arg) => arg.startsWith(`--${name}=`))?.split('=')[1]
  const only = value('only')?.split(',') as Section[] | undefined
  const unknown = only?.filter((section) => !SECTIONS.includes(section))
  if (unknown?.length) throw new Error(`bench: unknown section ${unknown.join(', ')}; sections: ${SECTIONS.join(', ')}`)
  const rounds = Number(value('rounds') ?? 9)
  const requests = Number(value('requests') ?? 20_000)
  if (!Number.isInteger(rounds) || rounds < 1 || !Number.isInteger(requests) || requests < 1) {
    throw new Error('bench: --rounds and --requests take positive integers')
  }
  return { sections: only ?? [...SECTIONS], partial: argv.length > 0, rounds, requests }
}

export function stormTable(rows: readonly StormRow[]): string {
  return formatTable(
    ['library', 'path', 'N', 'refresh calls', 'succeeded', 'failed', 'server saw', 'ms'],
    rows.map((row) => [row.library, row.path, row.n, row.refreshCalls, row.succeeded, row.failed, row.serverSaw, int(row.ms)]),
  )
}

export function late401Table(rows: readonly Late401Row[]): string {
  return formatTable(
    ['library', 'refresh calls', 'fast request', 'slow request (late 401)', 'server saw'],
    rows.map((row) => [row.library, row.refreshCalls, row.fast, row.slow, row.serverSaw]),
  )
}

export function overheadTable(rows: readonly OverheadRow[]): string {
  return formatTable(
    ['client', 'req/s median', 'req/s min-max', 'ratio to hand-written', 'per-round ratio', 'added µs/req'],
    rows.map((row) => [
      row.name,
      int(row.median),
      `${int(row.min)}-${int(row.max)}`,
      fixed(row.ratio),
      `${fixed(row.ratioMin)}-${fixed(row.ratioMax)}`,
      row.name.includes('hand-written') ? '-' : fixed(row.addedMicroseconds),
    ]),
  )
}

export function sizeTables(size: NonNullable<BenchResults['size']>): string {
  const entries = formatTable(
    ['entry', 'minified', 'min+gzip', 'budget'],
    [
      ...size.entries.map((row) => [
        row.entry,
        kib(row.minified),
        kib(row.gzip),
        row.budget === null ? '-' : `${kib(row.budget)}${row.verdict === 'over' ? ' (over)' : ''}`,
      ]),
      ...size.peers.map((row) => [row.entry, kib(row.minified), kib(row.gzip), '-']),
    ],
  )
  const apps = formatTable(
    ['what an app adds (all but axios bundled)', 'minified', 'min+gzip'],
    size.apps.map((row) => [row.entry, kib(row.minified), kib(row.gzip)]),
  )
  const redirect = formatTable(
    ['what an app adds for a redirect login (everything bundled)', 'minified', 'min+gzip'],
    (size.redirectLogin ?? []).map((row) => [row.entry, kib(row.minified), kib(row.gzip)]),
  )
  return `${entries}\n\n${apps}\n\n${redirect}`
}

export function memoryTable(rows: readonly MemoryRow[]): string {
  return formatTable(
    ['client', 'requests', 'refreshes', 'failed', 'heap before → after GC', 'growth 1st / 2nd half', 'bytes/request (2nd half)', 'timers left', 'listeners left', 'interceptors Δ', 'storage calls'],
    rows.map((row) => [
      row.name,
      int(row.requests),
      row.refreshes,
      row.failed,
      `${int(row.heapBeforeKiB)} → ${int(row.heapAfterKiB)} KiB`,
      `${int(row.growthKiB[0])} / ${int(row.growthKiB[1])} KiB`,
      fixed(row.bytesPerRequest),
      row.timersLeft,
      row.eventListenersLeft,
      row.interceptorsDelta,
      row.storageCalls ?? '-',
    ]),
  )
}

export function mockServerTable(rows: readonly MockServerRow[]): string {
  return formatTable(
    ['operation (getResponse on the handlers)', 'per second', 'ratio to a bare jose sign'],
    rows.map((row) => [row.operation, int(row.opsPerSecond), fixed(row.ratioToSign, 3)]),
  )
}

async function main() {
  const { sections, partial, rounds, requests } = options(process.argv.slice(2))
  const started = performance.now()
  const cpu = cpus()
  const results: BenchResults = {
    date: new Date().toISOString(),
    node: process.version,
    machine: { cpu: cpu[0]?.model ?? 'unknown', cores: cpu.length, memoryGiB: Math.round(totalmem() / 2 ** 30), os: `${platform()} ${release()}` },
    load: { start: loadavg()[0]!, end: 0 },
    seconds: 0,
  }
  const print = (title: string, body: string) => console.log(`\n## ${title}\n\n${body}`)
  console.log(`tokenrail bench, ${results.date}, Node ${results.node}, ${results.machine.cpu} x ${results.machine.cores}, load ${fixed(results.load.start)}`)

  const run: Record<Section, () => Promise<void>> = {
    async storm() {
      results.storm = await runStorms([100, 1000])
      print('1. Refresh storm: N requests at once with an expired token', stormTable(results.storm))
    },
    async late401() {
      results.late401 = await runLate401()
      print('2. Late 401: a slow request\'s 401 arrives after another request\'s refresh finished', late401Table(results.late401))
    },
    async overhead() {
      results.overhead = { rounds, requests, rows: await runOverhead({ rounds, requests, warmup: 5000 }) }
      print(`3. Per-request overhead, valid token (${rounds} interleaved rounds of ${int(requests)} sequential requests, each in a fresh process)`, overheadTable(results.overhead.rows))
    },
    async size() {
      const config = readSizeConfig()
      const entries = judgeSizes(await measurePublicEntries(config), config.budgetsKiB).entries
      const peers = await Promise.all(['axios-auth-refresh', 'axios-jwt', 'oidc-client-ts', '@auth0/auth0-spa-js'].map((name) => measurePackage(name)))
      results.size = { entries, peers, apps: await measureAppBundles(), redirectLogin: await measureAppBundles(redirectLoginBundles, []) }
      print('4. Bundle size (esbuild, minified, ESM, es2022, gzip -9; dependencies external)', sizeTables(results.size))
    },
    async memory() {
      results.memory = await runMemory(100_000, 10_000)
      print('5. Memory: 100 000 sequential requests, the token expired on the server every 10 000 (tokenrail rows)', memoryTable(results.memory))
    },
    async mock() {
      results.mockServer = await runMockServer(5, 300, 8)
      print('6. Mock server: operations through msw getResponse, 8 at a time (5 interleaved rounds, medians)', mockServerTable(results.mockServer))
    },
  }
  for (const section of SECTIONS) if (sections.includes(section)) await run[section]()

  results.seconds = Math.round((performance.now() - started) / 100) / 10
  results.load.end = loadavg()[0]!
  const file = join(repoRoot(), partial ? 'bench/results.local.json' : 'bench/results.json')
  writeFileSync(file, `${JSON.stringify(results, null, 2)}\n`)
  console.log(`\nDone in ${results.seconds} s (load ${fixed(results.load.start)} -> ${fixed(results.load.end)}); results in ${file.slice(repoRoot().length + 1)}`)
}

// The overhead and memory sections measure each client in a fresh process running this same bundle.
const [mode, name, requests, extra] = process.argv.slice(2)
if (mode === 'overhead-child') await overheadChild(name!, Number(requests), Number(extra))
else if (mode === 'memory-child') await memoryChild(name!, Number(requests), Number(extra))
else await main()
