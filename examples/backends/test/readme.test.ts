// The root README shows each recipe as a code block: each must be its file here, byte for byte, so the code a
// reader copies is the code the interop suite runs against a real server.
import { readdirSync, readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const root = new URL('../../../', import.meta.url)
const readme = readFileSync(new URL('README.md', root), 'utf8')
const recipes = readdirSync(new URL('examples/backends/src/', root)).map((name) => `examples/backends/src/${name}`)

describe.each(recipes)('%s', (file) => {
  it('is the code block the README shows under its name', () => {
    const marker = `<!-- ${file} -->\n\`\`\`ts\n`
    const start = readme.indexOf(marker)
    expect(start, `the README has no block marked ${marker.trim()}`).toBeGreaterThan(-1)
    const block = readme.slice(start + marker.length, readme.indexOf('```', start + marker.length))
    expect(block).toBe(readFileSync(new URL(file, root), 'utf8'))
  })
})
