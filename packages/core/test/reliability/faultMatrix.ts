/** A fault the mock auth server (or a one-off msw handler standing in for it) injects. */
export type Fault = 'network' | '503' | 'bad-json' | 'refused' | 'latency'

/** Where in the flow the fault hits. */
export type FlowPoint = 'login' | 'proactive refresh' | 'reactive refresh' | 'retry' | 'logout'

export interface FaultRow {
  point: FlowPoint
  fault: Fault
  /** The adapter the app request goes through; `-` for login and logout, which are client methods. */
  adapter: 'fetch' | 'axios' | '-'
  /** What the caller got: the resolved answer, or the rejection's name and code. */
  caller: string
  /** The client afterwards: logged out, or authenticated with the tokens it had before or with new ones. */
  state: 'logged out' | 'same tokens' | 'new tokens'
  /** Events the client emitted, in order. */
  events: string
}

const FAULTS: Fault[] = ['network', '503', 'bad-json', 'refused', 'latency']

type Expected = Record<Fault, Omit<FaultRow, 'point' | 'fault' | 'adapter'>>

const failedRefresh = (caller: (fault: Fault) => string): Expected => ({
  network: { caller: caller('network'), state: 'same tokens', events: 'error' },
  '503': { caller: caller('503'), state: 'same tokens', events: 'error' },
  'bad-json': { caller: caller('bad-json'), state: 'same tokens', events: 'error' },
  refused: { caller: 'SessionExpiredError (session_expired, 400)', state: 'logged out', events: 'sessionExpired' },
  latency: { caller: caller('latency'), state: 'same tokens', events: 'error' },
})

const refreshError: Record<Fault, string> = {
  network: 'NetworkError (network)',
  '503': 'NetworkError (server_error, 503)',
  'bad-json': 'AuthError (bad_response, 200)',
  refused: 'SessionExpiredError (session_expired, 400)',
  latency: 'NetworkError (timeout)',
}

/**
 * What each fault at each point of the flow must leave behind. A failed refresh (not a refusal) keeps the
 * tokens: a proactive one still sends the token it could not replace (it has not expired), a reactive one
 * hands its caller the typed error. A refusal ends the session. A fault on the retry reaches the caller as
 * the adapter reports any answer (tokenrail sets no timeout on app requests). Logout always succeeds locally,
 * and a revocation that did not happen on the server is reported.
 */
const EXPECTED: Record<FlowPoint, (adapter: 'fetch' | 'axios' | '-') => Expected> = {
  login: () => ({
    network: { caller: 'NetworkError (network)', state: 'logged out', events: '' },
    '503': { caller: 'NetworkError (server_error, 503)', state: 'logged out', events: '' },
    'bad-json': { caller: 'AuthError (bad_response, 200)', state: 'logged out', events: '' },
    refused: { caller: 'LoginError (login_failed, 401)', state: 'logged out', events: '' },
    latency: { caller: 'NetworkError (timeout)', state: 'logged out', events: '' },
  }),
  'proactive refresh': () => failedRefresh(() => '200 response'),
  'reactive refresh': () => failedRefresh((fault) => refreshError[fault]),
  retry: (adapter) => {
    const answered = (status: number) => (adapter === 'axios' && status >= 400 ? `AxiosError ${status}` : `${status} response`)
    const row = (caller: string) => ({ caller, state: 'new tokens' as const, events: 'refresh' })
    return {
      network: row(adapter === 'axios' ? 'AxiosError (no response)' : 'NetworkError (network)'),
      '503': row(answered(503)),
      'bad-json': row(answered(200)),
      refused: row(answered(401)),
      latency: row(answered(200)),
    }
  },
  // A revocation the server refused or never answered is reported: the session may still be live there.
  logout: () =>
    Object.fromEntries(
      FAULTS.map((fault) => [fault, { caller: 'resolved', state: 'logged out', events: fault === 'bad-json' ? 'logout' : 'logout, error' }]),
    ) as Expected,
}

/** Every row of the matrix: each fault at each point, through each adapter where a request is involved. */
export const FAULT_MATRIX: FaultRow[] = (Object.keys(EXPECTED) as FlowPoint[]).flatMap((point) => {
  const adapters = point === 'login' || point === 'logout' ? (['-'] as const) : (['fetch', 'axios'] as const)
  return adapters.flatMap((adapter) => FAULTS.map((fault) => ({ point, fault, adapter, ...EXPECTED[point](adapter)[fault] })))
})

declare module 'vitest' {
  interface TaskMeta {
    /** What a fault-matrix row observed, for the table `npm run test:faults` prints. */
    faultRow?: FaultRow & { expected: Omit<FaultRow, 'point' | 'fault' | 'adapter'> }
  }
}
