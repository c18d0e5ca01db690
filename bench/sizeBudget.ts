/** The size budgets: which entries may weigh how much, min+gzip. Pure logic, no measuring (see bundleSize.ts). */
export interface SizeConfig {
  /** How the sizes are measured, in words, for whoever reads the config. */
  measure: string
  /** Imports left out of every bundle: the packages' dependencies and peers, and sibling packages. */
  external: string[]
  /** Entry name -> budget in KiB (1024 bytes), minified and gzipped. An entry not listed has no budget. */
  budgetsKiB: Record<string, number>
  /**
   * Parts of an entry that have budgets of their own (what an app pays for some of its exports): a name -> the
   * code that imports them, and the externals bundled for it (a peer measured inside, e.g. oauth4webapi).
   */
  parts: Record<string, { code: string; bundle?: string[] }>
}

export interface EntrySize {
  entry: string
  minified: number
  gzip: number
}

export type Verdict = 'within' | 'over' | 'no budget'

export interface JudgedEntry extends EntrySize {
  /** Budget in bytes, or null when the entry has none. */
  budget: number | null
  verdict: Verdict
}

export interface SizeReport {
  entries: JudgedEntry[]
  /** Budgets naming an entry that no package exports: a typo or a removed entry, which must not pass silently. */
  unknownBudgets: string[]
  ok: boolean
}

export const KIB = 1024

/** Reads and checks the config: every budget a positive number of KiB. Throws a message naming what is wrong. */
export function parseSizeConfig(raw: unknown): SizeConfig {
  const config = raw as Partial<SizeConfig> | null
  if (!config || typeof config !== 'object') throw new TypeError('size config: expected an object')
  if (!Array.isArray(config.external) || !config.external.every((name) => typeof name === 'string')) {
    throw new TypeError('size config: "external" must be an array of package names')
  }
  const budgets = config.budgetsKiB
  if (!budgets || typeof budgets !== 'object') throw new TypeError('size config: "budgetsKiB" must map entry names to KiB')
  for (const [entry, kib] of Object.entries(budgets)) {
    if (typeof kib !== 'number' || !Number.isFinite(kib) || kib <= 0) {
      throw new TypeError(`size config: the budget of ${entry} must be a positive number of KiB, got ${JSON.stringify(kib)}`)
    }
  }
  const parts = config.parts ?? {}
  for (const [name, part] of Object.entries(parts)) {
    if (typeof part?.code !== 'string' || !(part.bundle ?? []).every((name) => typeof name === 'string')) {
      throw new TypeError(`size config: the part ${name} must give its "code" (and "bundle", a list of package names)`)
    }
  }
  return { measure: String(config.measure ?? ''), external: config.external, budgetsKiB: budgets, parts }
}

/**
 * Each measured entry against its budget. An entry is over when its gzipped size is strictly above the budget
 * (a budget is a ceiling the entry may reach). The check fails when any entry is over, or when a budget names
 * an entry that was not measured.
 */
export function judgeSizes(measured: readonly EntrySize[], budgetsKiB: Readonly<Record<string, number>>): SizeReport {
  const entries = measured.map((size): JudgedEntry => {
    const kib = Object.hasOwn(budgetsKiB, size.entry) ? budgetsKiB[size.entry] : undefined
    if (kib === undefined) return { ...size, budget: null, verdict: 'no budget' }
    const budget = Math.round(kib * KIB)
    return { ...size, budget, verdict: size.gzip > budget ? 'over' : 'within' }
  })
  const names = new Set(measured.map(({ entry }) => entry))
  const unknownBudgets = Object.keys(budgetsKiB).filter((entry) => !names.has(entry))
  return { entries, unknownBudgets, ok: unknownBudgets.length === 0 && entries.every(({ verdict }) => verdict !== 'over') }
}

export const kib = (bytes: number) => `${(bytes / KIB).toFixed(2)} KiB`
