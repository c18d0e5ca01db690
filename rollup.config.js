// One rollup build for every package: ESM + CJS + .d.ts/.d.cts per public entry.
// Everything that is not a relative import stays external, so a package never carries a copy of its
// dependencies, and `@tokenrail/core/axios` and `/oauth2` import the core by name instead of bundling it again.
import typescript from '@rollup/plugin-typescript'
import { dts } from 'rollup-plugin-dts'

const entries = [
  { pkg: 'core', name: 'index' },
  { pkg: 'core', name: 'axios' },
  { pkg: 'core', name: 'oauth2' },
  { pkg: 'react', name: 'index' },
  { pkg: 'mock-server', name: 'index' },
  { pkg: 'mock-server', name: 'node' },
  { pkg: 'mock-server', name: 'browser' },
  // The command's code; the command itself is bin/tokenrail-mock-server.js, which loads this file.
  { pkg: 'mock-server', name: 'bin', esmOnly: true },
]

const external = (id) => !id.startsWith('.') && !id.startsWith('/') && !id.startsWith('\0')

function code({ pkg, name, esmOnly }) {
  const dir = `packages/${pkg}`
  const output = [{ file: `${dir}/dist/${name}.js`, format: 'es' }]
  if (!esmOnly) output.push({ file: `${dir}/dist/${name}.cjs`, format: 'cjs', exports: 'named' })
  return {
    input: `${dir}/src/${name}.ts`,
    external,
    output,
    plugins: [
      typescript({
        tsconfig: 'tsconfig.build.json',
        include: [`${dir}/src/**/*`],
        exclude: ['**/*.test.ts', '**/*.test.tsx', '**/*.test-d.ts'],
      }),
    ],
  }
}

function types({ pkg, name }) {
  const dir = `packages/${pkg}`
  return {
    input: `${dir}/src/${name}.ts`,
    external,
    output: [
      { file: `${dir}/dist/${name}.d.ts`, format: 'es' },
      { file: `${dir}/dist/${name}.d.cts`, format: 'es' },
    ],
    plugins: [dts({ tsconfig: 'tsconfig.build.json' })],
  }
}

export default [
  ...entries.map(code),
  ...entries.filter((e) => !e.esmOnly).map(types),
]
