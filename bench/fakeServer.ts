import { AxiosError, AxiosHeaders, type AxiosAdapter, type AxiosResponse, type InternalAxiosRequestConfig } from 'axios'

/** Every client under test talks to this origin; nothing leaves the process. */
export const ORIGIN = 'https://api.bench.test'

export interface FakeServerOptions {
  /** How long a refresh takes to answer (real timers: this is a benchmark, not a test). @default 20 */
  refreshDelayMs?: number
  /** How long `/api/slow` holds its answer. @default 60 */
  slowDelayMs?: number
  /** Lifetime of an access token. @default 300 */
  accessTokenTtl?: number
}

export interface TokenPair {
  accessToken: string
  refreshToken: string
  expiresIn: number
}

/** What the server did, as the tables report it. */
export interface ServerStats {
  /** Requests to `/api/*` and `/public/*` (refreshes not counted). */
  apiRequests: number
  /** Of those, answered 401. */
  unauthorized: number
  /** Every request to the refresh endpoint. */
  refreshCalls: number
  /** Refreshes that rotated the pair. */
  rotations: number
  /** Refreshes refused (spent or unknown refresh token). */
  refused: number
}

interface Answer {
  status: number
  body: string
  headers: Record<string, string>
}

const JSON_HEADERS = { 'content-type': 'application/json' }
const OK: Answer = { status: 200, body: '{"ok":true}', headers: JSON_HEADERS }
const UNAUTHORIZED: Answer = {
  status: 401,
  body: '{"error":"invalid_token"}',
  headers: { ...JSON_HEADERS, 'www-authenticate': 'Bearer error="invalid_token"' },
}
const NOT_FOUND: Answer = { status: 404, body: '{"error":"not_found"}', headers: JSON_HEADERS }
const HEADER = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'at+jwt' })).toString('base64url')

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * A JWT auth server living in the process: it knows every access token it issued and when it expires (its
 * clock is `Date.now`), rotates refresh tokens (single use: a spent one is refused with 400 `invalid_grant`),
 * and answers through an axios adapter and a `fetch` function, so every library meets the same server.
 * It compares tokens by value instead of checking signatures: the benchmark measures the clients.
 */
export function createFakeServer(options: FakeServerOptions = {}) {
  const refreshDelayMs = options.refreshDelayMs ?? 20
  const slowDelayMs = options.slowDelayMs ?? 60
  const ttl = options.accessTokenTtl ?? 300
  const accessExpiry = new Map<string, number>()
  const refreshTokens = new Map<string, { spent: boolean }>()
  const stats: ServerStats = { apiRequests: 0, unauthorized: 0, refreshCalls: 0, rotations: 0, refused: 0 }
  let serial = 0

  function issue(): TokenPair {
    const iat = Math.floor(Date.now() / 1000)
    const jti = ++serial
    const payload = Buffer.from(JSON.stringify({ sub: 'bench-user', iat, exp: iat + ttl, jti })).toString('base64url')
    const signature = Buffer.from(`signature-${jti}-${Math.random()}`).toString('base64url')
    const accessToken = `${HEADER}.${payload}.${signature}`
    const refreshToken = `rt-${jti}-${Math.random().toString(36).slice(2)}`
    accessExpiry.set(accessToken, (iat + ttl) * 1000)
    refreshTokens.set(refreshToken, { spent: false })
    return { accessToken, refreshToken, expiresIn: ttl }
  }

  function authorized(authorization: string | null | undefined): boolean {
    if (!authorization?.startsWith('Bearer ')) return false
    const expiresAt = accessExpiry.get(authorization.slice(7))
    return expiresAt !== undefined && expiresAt > Date.now()
  }

  async function refresh(body: unknown): Promise<Answer> {
    stats.refreshCalls++
    const token = readRefreshToken(body)
    // Checked and spent on arrival, like a server that rotates inside one transaction.
    const record = token === undefined ? undefined : refreshTokens.get(token)
    const valid = record !== undefined && !record.spent
    if (record) record.spent = true
    await sleep(refreshDelayMs)
    if (!valid) {
      stats.refused++
      return { status: 400, body: '{"error":"invalid_grant"}', headers: JSON_HEADERS }
    }
    stats.rotations++
    return { status: 200, body: JSON.stringify(issue()), headers: { ...JSON_HEADERS, 'cache-control': 'no-store' } }
  }

  function api(path: string, authorization: string | null | undefined): Answer | Promise<Answer> {
    stats.apiRequests++
    if (path.startsWith('/public/')) return OK
    const answer = authorized(authorization) ? OK : UNAUTHORIZED
    if (answer === UNAUTHORIZED) stats.unauthorized++
    if (path.startsWith('/api/slow')) return sleep(slowDelayMs).then(() => answer)
    return path.startsWith('/api/') ? answer : NOT_FOUND
  }

  function handle(method: string, url: string, authorization: string | null | undefined, body: unknown) {
    const path = url.startsWith(ORIGIN) ? url.slice(ORIGIN.length) : url
    if (method === 'POST' && path === '/auth/refresh') return refresh(body)
    return api(path, authorization)
  }

  const axiosAdapter: AxiosAdapter = async (config: InternalAxiosRequestConfig) => {
    const url = joinURL(config.baseURL, config.url ?? '')
    const authorization = config.headers.get('Authorization') as string | null | undefined
    const answer = await handle((config.method ?? 'get').toUpperCase(), url, authorization, config.data)
    return settle(config, answer)
  }

  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = input instanceof Request ? input : undefined
    const url = request ? request.url : String(input)
    const method = (init?.method ?? request?.method ?? 'GET').toUpperCase()
    const authorization = request ? request.headers.get('authorization') : headerOf(init?.headers, 'authorization')
    const body = request ? await request.text() : init?.body
    const answer = await handle(method, url, authorization, body)
    return new Response(answer.body, { status: answer.status, headers: answer.headers })
  }

  return {
    login: issue,
    /** Every access token issued so far stops working; the clients are not told ("expired on the server only"). */
    expireAccessTokens: () => accessExpiry.clear(),
    stats,
    axiosAdapter,
    fetch: fetch as typeof globalThis.fetch,
  }
}

export type FakeServer = ReturnType<typeof createFakeServer>

function readRefreshToken(body: unknown): string | undefined {
  try {
    const parsed = (typeof body === 'string' ? JSON.parse(body) : body) as Record<string, unknown> | null
    const token = parsed?.refreshToken ?? parsed?.refresh_token ?? parsed?.token
    return typeof token === 'string' ? token : undefined
  } catch {
    return undefined
  }
}

function headerOf(headers: HeadersInit | undefined, name: string): string | null {
  if (!headers) return null
  if (headers instanceof Headers) return headers.get(name)
  if (Array.isArray(headers)) return headers.find(([key]) => key?.toLowerCase() === name)?.[1] ?? null
  for (const key in headers) if (key.toLowerCase() === name) return (headers as Record<string, string>)[key] ?? null
  return null
}

function joinURL(baseURL: string | undefined, url: string): string {
  if (!baseURL || /^[a-z][a-z\d+\-.]*:\/\//i.test(url)) return url
  return `${baseURL.replace(/\/+$/, '')}/${url.replace(/^\/+/, '')}`
}

/** What a real axios adapter does with an answer: resolve, or reject with an AxiosError that `validateStatus` asks for. */
function settle(config: InternalAxiosRequestConfig, answer: Answer): AxiosResponse {
  const response: AxiosResponse = {
    data: answer.body,
    status: answer.status,
    statusText: answer.status === 200 ? 'OK' : String(answer.status),
    headers: new AxiosHeaders(answer.headers),
    config,
    request: {},
  }
  if (!config.validateStatus || config.validateStatus(answer.status)) return response
  const code = answer.status < 500 ? AxiosError.ERR_BAD_REQUEST : AxiosError.ERR_BAD_RESPONSE
  throw new AxiosError(`Request failed with status code ${answer.status}`, code, config, response.request, response)
}
