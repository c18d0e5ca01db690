// The `tokenrail-mock-server` command as npm links it. It must be a file that exists before any build: npm links
// a package's commands when it installs, so in a fresh clone a command pointing into dist/ is never linked.
import { execFile } from 'node:child_process'
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'

const packageDir = fileURLToPath(new URL('../', import.meta.url))
const run = promisify(execFile)

/** Runs a copy of the launcher in a package directory of its own, with or without a dist/bin.js. */
async function launch(distBin: string | undefined, args: string[]) {
  const dir = await mkdtemp(join(tmpdir(), 'tokenrail-bin-'))
  dirs.push(dir)
  await mkdir(join(dir, 'bin'))
  await writeFile(join(dir, 'package.json'), JSON.stringify({ type: 'module' }))
  await copyFile(join(packageDir, 'bin/tokenrail-mock-server.js'), join(dir, 'bin/tokenrail-mock-server.js'))
  if (distBin !== undefined) {
    await mkdir(join(dir, 'dist'))
    await writeFile(join(dir, 'dist/bin.js'), distBin)
  }
  return run(process.execPath, [join(dir, 'bin/tokenrail-mock-server.js'), ...args]).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => ({ code: error.code, stdout: error.stdout, stderr: error.stderr }),
  )
}

const dirs: string[] = []
afterEach(async () => {
  await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })))
})

describe('the tokenrail-mock-server command', () => {
  it('is a file kept in the package source, not build output, so npm links it in a fresh clone', async () => {
    const manifest = JSON.parse(await readFile(join(packageDir, 'package.json'), 'utf8')) as { bin: Record<string, string>; files: string[] }
    const target = manifest.bin['tokenrail-mock-server']
    expect(target).toBe('./bin/tokenrail-mock-server.js')
    expect(manifest.files).toContain('bin')
    expect((await readFile(join(packageDir, target!), 'utf8')).startsWith('#!/usr/bin/env node\n')).toBe(true)
  })

  it('runs the built command with the arguments it was given', async () => {
    const result = await launch('console.log(JSON.stringify(process.argv.slice(2)))\n', ['--port', '0', '--cors', 'http://localhost:5173'])
    expect(result).toMatchObject({ code: 0, stdout: '["--port","0","--cors","http://localhost:5173"]\n' })
  })

  it('before the build, says what to run instead of failing with a module error', async () => {
    const result = await launch(undefined, ['--help'])
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('the packages are not built yet')
    expect(result.stderr).toContain('npm run build')
    expect(result.stderr).not.toContain('ERR_MODULE_NOT_FOUND')
  })
})
