// `npm start`: the whole tokenrail flow against the mock auth server, step by step, with what goes over the wire.
// Exits 0 when every step behaved as described, 1 naming the step that did not.
import { createPrinter } from './runSteps'
import { runWalkthrough } from './runWalkthrough'
import { painter, wantsColour } from './terminal'

const out = createPrinter((text) => process.stdout.write(text), painter(wantsColour(process.stdout, process.env)))

runWalkthrough(out).then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    out.line(['red', `✗ the walkthrough could not run: ${error instanceof Error ? error.message : String(error)}`])
    process.exitCode = 1
  },
)
