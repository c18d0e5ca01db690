import { describe, expect, it } from 'vitest'
import { judgeSizes, parseSizeConfig, type EntrySize } from './sizeBudget'

const size = (entry: string, gzip: number): EntrySize => ({ entry, minified: gzip * 3, gzip })

describe('judgeSizes', () => {
  it('passes an entry under its budget and one exactly at it', () => {
    const report = judgeSizes([size('@tokenrail/core', 4095), size('@tokenrail/react', 1024)], {
      '@tokenrail/core': 4,
      '@tokenrail/react': 1,
    })
    expect(report.entries.map(({ verdict }) => verdict)).toEqual(['within', 'within'])
    expect(report.ok).toBe(true)
  })

  it('fails when one entry is a single byte over, and says which', () => {
    const report = judgeSizes([size('@tokenrail/core', 4097), size('@tokenrail/core/axios', 900)], {
      '@tokenrail/core': 4,
      '@tokenrail/core/axios': 1,
    })
    expect(report.ok).toBe(false)
    expect(report.entries.find(({ entry }) => entry === '@tokenrail/core')).toMatchObject({ budget: 4096, verdict: 'over' })
    expect(report.entries.find(({ entry }) => entry === '@tokenrail/core/axios')?.verdict).toBe('within')
  })

  it('reports an entry without a budget and does not fail for it', () => {
    const report = judgeSizes([size('@tokenrail/mock-server', 50_000)], {})
    expect(report.entries[0]).toMatchObject({ budget: null, verdict: 'no budget' })
    expect(report.ok).toBe(true)
  })

  it('fails for a budget that names no measured entry, so a typo cannot pass silently', () => {
    const report = judgeSizes([size('@tokenrail/core', 100)], { '@tokenrail/core': 4, '@tokenrail/cor/axios': 1 })
    expect(report.unknownBudgets).toEqual(['@tokenrail/cor/axios'])
    expect(report.ok).toBe(false)
  })

  it('converts fractional KiB budgets to whole bytes', () => {
    const report = judgeSizes([size('@tokenrail/core', 1537)], { '@tokenrail/core': 1.5 })
    expect(report.entries[0]).toMatchObject({ budget: 1536, verdict: 'over' })
  })

  it('does not take a budget from the prototype chain', () => {
    const report = judgeSizes([size('toString', 10)], {})
    expect(report.entries[0]?.verdict).toBe('no budget')
  })
})

describe('parseSizeConfig', () => {
  const valid = { measure: 'min+gzip', external: ['axios'], budgetsKiB: { '@tokenrail/core': 4 } }

  it('accepts the shape of bench/budgets.json, parts of an entry with their code and what they bundle', () => {
    expect(parseSizeConfig(valid)).toEqual({ ...valid, parts: {} })
    const parts = { 'core/oauth2: redirect': { code: "export { a } from './a'", bundle: ['oauth4webapi'] } }
    expect(parseSizeConfig({ ...valid, parts }).parts).toEqual(parts)
  })

  it('refuses a part without its code, or with a bundle that is not a list of names', () => {
    expect(() => parseSizeConfig({ ...valid, parts: { redirect: {} } })).toThrow(/redirect/)
    expect(() => parseSizeConfig({ ...valid, parts: { redirect: { code: 'x', bundle: [1] } } })).toThrow(/redirect/)
  })

  it.each([0, -1, '4', Number.NaN, null])('refuses a budget of %s, naming the entry', (kib) => {
    expect(() => parseSizeConfig({ ...valid, budgetsKiB: { '@tokenrail/core': kib } })).toThrow(/@tokenrail\/core/)
  })

  it('refuses a config without the list of external packages', () => {
    expect(() => parseSizeConfig({ budgetsKiB: {} })).toThrow(/external/)
  })
})
