// A fetch that records what went over the wire, for the walkthrough to show: method, URL, status, the Bearer
// token a request carried and the tokens a response handed out. Bodies are read from clones, so the caller
// still gets an untouched response.

export interface Exchange {
  /** Who sent it: the app's client, or someone else replaying a token. */
  who: string
  method: string
  url: string
  /** The HTTP status, or 0 when the request failed before an answer. */
  status: number
  /** The Bearer token the request carried. */
  bearer?: string
  /** The refresh token sent in the request body. */
  sentRefreshToken?: string
  /** Tokens from a token response. */
  issued?: { accessToken?: string; refreshToken?: string; expiresIn?: number }
  /** The `error` code of an error answer (JSON body or `WWW-Authenticate`). */
  error?: string
}

export interface Wire {
  /** A fetch for `who` that records every exchange. */
  fetchAs(who: string): typeof fetch
  /** Everything recorded since the last call, oldest first. */
  take(): Exchange[]
  /** Every refresh token handed out so far, oldest first. */
  readonly refreshTokens: readonly string[]
}

export function createWire(transport: typeof fetch = globalThis.fetch): Wire {
  let pending: Exchange[] = []
  const refreshTokens: string[] = []

  const fetchAs = (who: string): typeof fetch =>
    async function recordedFetch(input, init) {
      const request = new Request(input, init)
      const exchange: Exchange = { who, method: request.method, url: request.url, status: 0 }
      const bearer = /^Bearer (.+)$/.exec(request.headers.get('authorization') ?? '')?.[1]
      if (bearer) exchange.bearer = bearer
      const sent = await readJson(request.clone())
      if (typeof sent?.refreshToken === 'string') exchange.sentRefreshToken = sent.refreshToken
      try {
        const response = await transport(request)
        exchange.status = response.status
        await describeAnswer(exchange, response.clone())
        if (exchange.issued?.refreshToken) refreshTokens.push(exchange.issued.refreshToken)
        return response
      } finally {
        pending.push(exchange)
      }
    }

  return {
    fetchAs,
    take() {
      const taken = pending
      pending = []
      return taken
    },
    refreshTokens,
  }
}

async function describeAnswer(exchange: Exchange, response: Response): Promise<void> {
  const challenge = /error="([^"]+)"/.exec(response.headers.get('www-authenticate') ?? '')?.[1]
  const body = response.headers.get('content-type')?.includes('json') ? await readJson(response) : undefined
  const error = typeof body?.error === 'string' ? body.error : challenge
  if (error) exchange.error = error
  if (typeof body?.accessToken === 'string') {
    exchange.issued = {
      accessToken: body.accessToken,
      refreshToken: typeof body.refreshToken === 'string' ? body.refreshToken : undefined,
      expiresIn: typeof body.expiresIn === 'number' ? body.expiresIn : undefined,
    }
  }
}

async function readJson(message: Request | Response): Promise<Record<string, unknown> | undefined> {
  try {
    const value: unknown = JSON.parse(await message.text())
    return value && typeof value === 'object' ? (value as Record<string, unknown>) : undefined
  } catch {
    return undefined
  }
}
