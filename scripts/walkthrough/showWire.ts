import type { Printer, Segment } from './runSteps'
import { shortToken, type Style } from './terminal'
import type { Exchange } from './wire'

const statusStyle = (status: number): Style => (status >= 200 && status < 300 ? 'green' : status === 0 ? 'red' : 'yellow')

/** The key under which identical exchanges in a row print as one line with a count. */
const sameAs = (a: Exchange, b: Exchange) =>
  a.who === b.who &&
  a.method === b.method &&
  a.url === b.url &&
  a.status === b.status &&
  a.error === b.error &&
  a.bearer === b.bearer &&
  !a.issued &&
  !b.issued

/**
 * Prints exchanges in the order their answers came back; identical ones in a row print as one line with "n ×".
 * `grouped` also folds identical exchanges that are not in a row, for requests that ran concurrently.
 */
export function showWire(out: Printer, exchanges: readonly Exchange[], { grouped = false } = {}): void {
  const lines: { exchange: Exchange; count: number }[] = []
  for (const exchange of exchanges) {
    const line = grouped ? lines.find((candidate) => sameAs(candidate.exchange, exchange)) : lines.at(-1)
    if (line && sameAs(line.exchange, exchange)) line.count++
    else lines.push({ exchange, count: 1 })
  }
  for (const { exchange, count } of lines) showExchange(out, exchange, count)
}

function showExchange(out: Printer, exchange: Exchange, count: number): void {
  const { who, method, url, status, error, bearer, sentRefreshToken, issued } = exchange
  const head: Segment[] = ['    ']
  if (who !== 'app') head.push(['yellow', `${who}: `])
  head.push(count > 1 ? `${count} × ` : '', `${method} ${url} `, [statusStyle(status), status === 0 ? 'no answer' : String(status)])
  if (error) head.push(` ${error}`)
  out.line(...head)
  if (bearer) out.line('        ', ['dim', 'Authorization: Bearer '], shortToken(bearer))
  if (sentRefreshToken) out.line('        ', ['dim', 'sent refresh token '], shortToken(sentRefreshToken))
  if (issued?.accessToken) {
    const parts = [`access ${shortToken(issued.accessToken)}`]
    if (issued.refreshToken) parts.push(`refresh ${shortToken(issued.refreshToken)}`)
    if (issued.expiresIn !== undefined) parts.push(`expiresIn ${issued.expiresIn}`)
    out.line('        ', ['dim', '← '], parts.join(', '))
  }
}
