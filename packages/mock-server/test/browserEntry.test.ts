import { readFile } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { describe, expect, it } from 'vitest'

const src = join(dirname(fileURLToPath(import.meta.url)), '..', 'src')
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g

/** Every module the entry reaches through relative imports, with the bare specifiers each one imports. */
async function importGraph(entry: string) {
  const seen = new Map<string, string[]>()
  const queue = [entry]
  while (queue.length > 0) {
    const file = queue.pop() ?? ''
    if (seen.has(file)) continue
    const text = await readFile(file, 'utf8')
    const bare: string[] = []
    for (const match of text.matchAll(IMPORT)) {
      const specifier = match[1] ?? match[2] ?? ''
      if (specifier.startsWith('.')) queue.push(join(dirname(file), `${specifier}.ts`))
      else bare.push(specifier)
    }
    seen.set(file, bare)
  }
  return seen
}

describe('the package entry runs in a browser', () => {
  it('reaches only msw core and jose: no node: modules, no msw/node, no Node entry of its own', async () => {
    const graph = await importGraph(join(src, 'index.ts'))
    expect(graph.size).toBeGreaterThan(10)
    const bare = new Set([...graph.values()].flat())
    expect([...bare].sort()).toEqual(['jose', 'msw'])
    expect([...graph.keys()].some((file) => file.includes('/server/') || file.endsWith('node.ts'))).toBe(false)
  })

  it('the Node entry is where node: modules live', async () => {
    const bare = new Set([...(await importGraph(join(src, 'node.ts'))).values()].flat())
    expect(bare.has('node:http')).toBe(true)
    expect(bare.has('msw/node')).toBe(false)
  })

  it('the browser entry adds only msw/browser, and takes the server by package name instead of a copy', async () => {
    const graph = await importGraph(join(src, 'browser.ts'))
    expect([...new Set([...graph.values()].flat())].sort()).toEqual(['@tokenrail/mock-server', 'msw/browser'])
    expect([...graph.keys()].map((file) => file.slice(src.length + 1)).sort()).toEqual(['browser.ts', 'otherTabs.ts'])
  })

  it('reads no browser global at load: importing it with no window, document or location works', async () => {
    expect(typeof globalThis.window).toBe('undefined')
    const entry = await import('@tokenrail/mock-server')
    expect(typeof entry.createMockAuthServer).toBe('function')
  })
})
