// The React README shows the router recipes as code blocks: each must be its file here, byte for byte, so the
// code a reader copies is the code the recipe tests and the browser tests run.
import { readFileSync } from 'node:fs'
import { describe, expect, it } from 'vitest'

const root = new URL('../../../', import.meta.url)
const readme = readFileSync(new URL('packages/react/README.md', root), 'utf8')

describe.each(['examples/routers/src/reactRouterRecipe.tsx', 'examples/routers/src/tanstackRouterRecipe.tsx'])('%s', (file) => {
  it('is the code block the React README shows under its name', () => {
    const marker = `<!-- ${file} -->\n\`\`\`tsx\n`
    const start = readme.indexOf(marker)
    expect(start, `the README has no block marked ${marker.trim()}`).toBeGreaterThan(-1)
    const block = readme.slice(start + marker.length, readme.indexOf('```', start + marker.length))
    expect(block).toBe(readFileSync(new URL(file, root), 'utf8'))
  })
})
