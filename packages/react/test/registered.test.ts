// The `Register` interface, as an app uses it: compiled in a TypeScript program of its own, since a
// registration is global to the program it is in and the other type tests check the unregistered defaults.
import { fileURLToPath } from 'node:url'
import ts from 'typescript'
import { expect, it } from 'vitest'

const root = fileURLToPath(new URL('../../../', import.meta.url))
const app = fileURLToPath(new URL('./registered/app.ts', import.meta.url))

function compile(file: string): string[] {
  const config = ts.getParsedCommandLineOfConfigFile(`${root}tsconfig.json`, {}, { ...ts.sys, onUnRecoverableConfigFileDiagnostic: () => undefined })
  if (!config) throw new Error('cannot read tsconfig.json')
  const program = ts.createProgram([file], { ...config.options, noEmit: true })
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ""}:${d.file ? d.file.getLineAndCharacterOfPosition(d.start ?? 0).line + 1 : 0}: ${ts.flattenDiagnosticMessageText(d.messageText, "\n")}`)
}

it('a client registered once types every hook: credentials, user, client, selectors', () => {
  // Each wrong use in the app is marked @ts-expect-error, so a registration that stopped typing the hooks
  // fails here as an unused directive, and one that typed them wrongly fails as a type error.
  expect(compile(app)).toEqual([])
}, 60_000)
