// How the walkthrough writes to a terminal: 80 columns, colours only where a person reads a TTY that wants them,
// and tokens cut short so the output can be pasted anywhere without leaking a credential.

export const WIDTH = 80

export type Style = 'bold' | 'dim' | 'green' | 'red' | 'yellow' | 'cyan'

const CODES: Record<Style, [number, number]> = {
  bold: [1, 22],
  dim: [2, 22],
  green: [32, 39],
  red: [31, 39],
  yellow: [33, 39],
  cyan: [36, 39],
}

/** Colours on a TTY unless NO_COLOR is set (https://no-color.org: any non-empty value). */
export function wantsColour(stream: { isTTY?: boolean }, env: Record<string, string | undefined>): boolean {
  return stream.isTTY === true && !env.NO_COLOR && env.TERM !== 'dumb'
}

export type Paint = (style: Style, text: string) => string

export function painter(colour: boolean): Paint {
  return colour ? (style, text) => `\u001b[${CODES[style][0]}m${text}\u001b[${CODES[style][1]}m` : (_style, text) => text
}

/**
 * A token as a person can recognise it, never as anyone could use it: the first and last few characters, and at
 * most a third of the token in all. A token too short to cut that way shows as its length only.
 */
export function shortToken(token: string): string {
  const shown = Math.min(6, Math.floor(token.length / 6))
  if (shown < 2) return `[${token.length} chars]`
  return `${token.slice(0, shown)}…${token.slice(-shown)}`
}

const ANSI = /\u001b\[\d+m/g

/** The printed width of a line (colour codes take no columns). */
export const visibleLength = (line: string) => line.replace(ANSI, '').length

/** Cuts a plain line to the terminal width, marking the cut. */
export function fit(line: string, width = WIDTH): string {
  return line.length <= width ? line : `${line.slice(0, width - 1)}…`
}

/** A clock reading as HH:MM:SS (UTC, so every machine prints the same for the same instant). */
export const clockTime = (epochMs: number) => new Date(epochMs).toISOString().slice(11, 19)
