// The walkthrough's parts in process: how it reports a failed step, and how it writes to a terminal.
import { describe, expect, it } from 'vitest'
import { createPrinter, expectThat, runSteps, type Step } from '../scripts/walkthrough/runSteps'
import { runWalkthrough } from '../scripts/walkthrough/runWalkthrough'
import { steps, type WalkthroughContext } from '../scripts/walkthrough/steps'
import { painter, shortToken, wantsColour } from '../scripts/walkthrough/terminal'

function capture(width?: number) {
  let text = ''
  const out = createPrinter((chunk) => (text += chunk), painter(false), width)
  return { out, text: () => text }
}

describe('runSteps', () => {
  it('stops at the first step that fails and names it with the reason', async () => {
    const ran: string[] = []
    const step = (title: string, fails = false): Step<null> => ({
      title,
      async run() {
        ran.push(title)
        expectThat(!fails, `${title} went wrong`)
      },
    })
    const { out, text } = capture()
    const result = await runSteps([step('first'), step('second', true), step('third')], null, out)
    expect(result).toEqual({ passed: 1, failed: { number: 2, title: 'second', reason: 'second went wrong' } })
    expect(ran).toEqual(['first', 'second'])
    expect(text()).toContain(' 2. second\n    ✗ second went wrong\n')
  })

  it('reports an unexpected error by its name and message', async () => {
    const { out } = capture()
    const result = await runSteps([{ title: 'throws', run: () => Promise.reject(new TypeError('boom')) }], null, out)
    expect(result.failed?.reason).toBe('TypeError: boom')
  })
})

describe('runWalkthrough', () => {
  it('answers 1 and names the failed step, after stopping its server and client', async () => {
    const { out, text } = capture()
    const loggedOut: Step<WalkthroughContext> = {
      title: 'A check that cannot hold',
      async run(context) {
        expectThat(context.auth.getState().status === 'unauthenticated', 'expected nobody logged in')
      },
    }
    const code = await runWalkthrough(out, [steps[0]!, loggedOut])
    expect(code).toBe(1)
    expect(text()).toContain('✗ expected nobody logged in\n')
    expect(text().trimEnd().split('\n').at(-1)).toBe('✗ step 2 failed: A check that cannot hold')
    const origin = /mock auth server at (\S+),/.exec(text())?.[1]
    await expect(fetch(`${origin}/auth/me`)).rejects.toThrow()
  })
})

describe('terminal output', () => {
  it('colours only a TTY, and never when NO_COLOR or TERM=dumb says so', () => {
    expect(wantsColour({ isTTY: true }, {})).toBe(true)
    expect(wantsColour({ isTTY: false }, {})).toBe(false)
    expect(wantsColour({}, {})).toBe(false)
    expect(wantsColour({ isTTY: true }, { NO_COLOR: '1' })).toBe(false)
    expect(wantsColour({ isTTY: true }, { TERM: 'dumb' })).toBe(false)
    expect(painter(true)('red', 'x')).toBe('\u001b[31mx\u001b[39m')
    expect(painter(false)('red', 'x')).toBe('x')
  })

  it('shows at most a third of a token, and only the length of a short one', () => {
    for (const length of [3, 11, 12, 17, 36, 43, 300]) {
      const token = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(10).slice(0, length)
      const shown = shortToken(token)
      if (shown !== `[${length} chars]`) expect(shown.replace('…', '').length).toBeLessThanOrEqual(length / 3)
      expect(token.includes(shown)).toBe(false)
    }
    expect(shortToken('abc')).toBe('[3 chars]')
    expect(shortToken('eyJhbGciOiJIUzI1NiJ9.e30.c2lnbmF0dXJlLXNpZ25hdHVyZQ')).toBe('eyJhbG…dHVyZQ')
  })

  it('cuts a line to the width and marks the cut', () => {
    const { out, text } = capture(10)
    out.line('12345', ['bold', '67890abc'])
    out.line('short')
    expect(text()).toBe('123456789…\nshort\n')
  })
})
