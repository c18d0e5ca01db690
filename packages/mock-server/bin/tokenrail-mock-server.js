#!/usr/bin/env node
// The `tokenrail-mock-server` command. A plain file kept in git, not the build's output: npm links a package's
// commands when it installs, and in a fresh clone of the repository dist/ does not exist until `npm run build`,
// so a command pointing into dist/ would never be linked ("tokenrail-mock-server: not found").
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const built = new URL('../dist/bin.js', import.meta.url)
if (!existsSync(built)) {
  console.error(
    `tokenrail-mock-server: ${fileURLToPath(built)} is missing: the packages are not built yet.\n` +
      'In the tokenrail repository, run `npm run build` at its root once, then this command again.',
  )
  process.exit(1)
}
await import(built.href)
