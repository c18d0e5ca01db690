// The request timeline: every request the client sends, as it leaves and as it is answered. It is the client's
// transport (`createAuthClient({ fetch })`), so it sees what the wire sees: each try of each call, the 401s, the
// one refresh they share, and the retries. Tokens are shown by a letter, never by their value.

export type RowKind = 'login' | 'refresh' | 'logout' | 'api' | 'note'

export interface Row {
  id: number
  /** When it was sent (or noted), on this browser's clock. */
  at: number
  kind: RowKind
  method?: string
  path?: string
  /** The app's call this try belongs to, and which try it is: 1, then 2 for the retry after a refresh. */
  call?: number
  attempt?: number
  /** The access token it carried, by letter. */
  token?: string
  /** The answer's status, once there is one; `failed` when there was none. */
  status?: number
  failed?: boolean
  /** Given up by the page (an aborted fetch) before an answer came. */
  aborted?: boolean
  /** The access token a login or refresh answered with, by letter. */
  issued?: string
  /** Why the server refused it, from a 401's body (`token expired`). */
  reason?: string
  text?: string
}

export interface Timeline {
  subscribe(listener: () => void): () => void
  getRows(): readonly Row[]
  /** The client's transport: sends with `fetch` and records each request and its answer. */
  transport: typeof fetch
  /** A call of the app's own: its tries (the first, the retry) are grouped under one number. */
  call(init?: RequestInit): RequestInit
  /** Whether the current access token came from this page's own login or refresh (else: another tab). */
  issuedHere(accessToken: string | null): boolean
  note(text: string): void
}

/** Carries the app's call number from `call()` to the transport; the mock server ignores it. */
const CALL_HEADER = 'x-demo-call'
const MAX_ROWS = 150

export function createTimeline(now: () => number = Date.now): Timeline {
  let rows: readonly Row[] = []
  let nextId = 1
  let nextCall = 1
  const listeners = new Set<() => void>()
  const letters = new Map<string, string>()
  const issued = new Set<string>()
  const tries = new Map<number, number>()

  const emit = () => listeners.forEach((listener) => listener())
  const add = (row: Omit<Row, 'id' | 'at'>): number => {
    const id = nextId++
    rows = [...rows, { id, at: now(), ...row }].slice(-MAX_ROWS)
    emit()
    return id
  }
  const update = (id: number, change: Partial<Row>) => {
    rows = rows.map((row) => (row.id === id ? { ...row, ...change } : row))
    emit()
  }
  const letter = (token: string) => {
    let name = letters.get(token)
    if (!name) {
      const n = letters.size
      name = n < 26 ? String.fromCharCode(65 + n) : `#${n + 1}`
      letters.set(token, name)
    }
    return name
  }

  const transport: typeof fetch = async (input, init) => {
    const { method, url, headers } = describe(input, init)
    const path = new URL(url, location.href).pathname
    const kind = kindOf(path)
    const bearer = /^Bearer (.+)$/.exec(headers.get('authorization') ?? '')?.[1]
    const call = Number(headers.get(CALL_HEADER)) || undefined
    const attempt = call === undefined ? undefined : (tries.get(call) ?? 0) + 1
    if (call !== undefined) tries.set(call, attempt!)
    const id = add({ kind, method, path, call, attempt, token: bearer && letter(bearer) })
    let response: Response
    try {
      response = await fetch(input, init)
    } catch (error) {
      update(id, (error as Error)?.name === 'AbortError' ? { aborted: true } : { failed: true })
      throw error
    }
    if ((kind === 'login' || kind === 'refresh') && response.ok) return withIssuedToken(id, response)
    update(id, { status: response.status })
    if (response.status === 401) void reasonOf(response).then((reason) => reason && update(id, { reason }))
    return response
  }

  /** Reads the new access token before the client does, so its letter is known when the client uses it. */
  async function withIssuedToken(id: number, response: Response): Promise<Response> {
    const text = await response.text()
    let accessToken: unknown
    try {
      accessToken = (JSON.parse(text) as { accessToken?: unknown }).accessToken
    } catch {
      // not a token set: the client says so itself
    }
    if (typeof accessToken === 'string') issued.add(accessToken)
    update(id, { status: response.status, issued: typeof accessToken === 'string' ? letter(accessToken) : undefined })
    const { status, statusText, headers } = response
    return new Response(status === 204 ? null : text, { status, statusText, headers })
  }

  return {
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    getRows: () => rows,
    transport,
    call(init = {}) {
      const headers = new Headers(init.headers)
      headers.set(CALL_HEADER, String(nextCall++))
      return { ...init, headers }
    },
    issuedHere: (accessToken) => accessToken !== null && issued.has(accessToken),
    note: (text) => void add({ kind: 'note', text }),
  }
}

/** A 401's `error_description`, read from a copy so the client still gets the whole answer. */
async function reasonOf(response: Response): Promise<string | undefined> {
  try {
    const body = (await response.clone().json()) as { error_description?: unknown }
    return typeof body.error_description === 'string' ? body.error_description : undefined
  } catch {
    return undefined
  }
}

/** The number `call()` gave an init. */
export const callNumber = (init: RequestInit): number => Number(new Headers(init.headers).get(CALL_HEADER))

function describe(input: RequestInfo | URL, init: RequestInit | undefined) {
  if (input instanceof Request) return { method: input.method, url: input.url, headers: input.headers }
  return { method: (init?.method ?? 'GET').toUpperCase(), url: String(input), headers: new Headers(init?.headers) }
}

function kindOf(path: string): RowKind {
  if (path.endsWith('/auth/login')) return 'login'
  if (path.endsWith('/auth/refresh')) return 'refresh'
  if (path.endsWith('/auth/logout')) return 'logout'
  return 'api'
}

export interface Summary {
  requests: number
  unauthorized: number
  refreshes: number
  retries: number
}

/** The counts a glance needs: how many requests, how many 401s, how many refreshes answered, how many retries. */
export function summarize(rows: readonly Row[]): Summary {
  const sent = rows.filter((row) => row.kind !== 'note')
  return {
    requests: sent.length,
    unauthorized: sent.filter((row) => row.status === 401).length,
    refreshes: sent.filter((row) => row.kind === 'refresh' && row.issued !== undefined).length,
    retries: sent.filter((row) => (row.attempt ?? 1) > 1).length,
  }
}
