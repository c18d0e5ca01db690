import { attachAxios } from '@tokenrail/core/axios'
import axios from 'axios'
import { getResponse, http, HttpResponse } from 'msw'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { createAuthClient, isAuthError, type AuthClient } from '../../src'
import { API, credentials, TODOS, useMockApi } from '../mockApi'
import { FAULT_MATRIX, type Fault, type FaultRow } from './faultMatrix'

const { mock, server } = useMockApi({ accessTokenTtl: 300 })

const TIMEOUT_MS = 1000
const LATENCY_MS = 5000
const events = ['login', 'logout', 'refresh', 'sessionExpired', 'error'] as const

beforeEach(() => void vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] }))
afterEach(() => void vi.useRealTimers())

/** The answer a fault stands for, as a resolver that answers once: undefined lets the mock server answer. */
function faultResponse(fault: Exclude<Fault, 'latency'>, refused: number) {
  switch (fault) {
    case 'network':
      return HttpResponse.error()
    case '503':
      return HttpResponse.json({ error: 'unavailable' }, { status: 503 })
    case 'bad-json':
      return new HttpResponse('<!doctype html><title>Sign in</title>', { status: 200, headers: { 'content-type': 'application/json' } })
    case 'refused':
      return HttpResponse.json({ error: refused === 401 ? 'invalid_token' : 'invalid_grant' }, { status: refused })
  }
}

/**
 * Lets the client run; under the latency fault, lets fake time pass as well (once `delayed` says the slow
 * answer is on its way), past the client's timeout.
 */
async function outcome(promise: Promise<unknown>, fault: Fault, delayed = () => true) {
  const settled = promise.then(
    (value) => ({ value }),
    (error: unknown) => ({ error }),
  )
  let done = false
  void settled.then(() => (done = true))
  // Real turns of the event loop let each request reach msw before fake time moves on (performance.now()
  // is not faked: it bounds the wait in real time).
  const deadline = performance.now() + 4000
  while (fault === 'latency' && !done && performance.now() < deadline) {
    await new Promise((resolve) => setImmediate(resolve))
    if (delayed()) await vi.advanceTimersByTimeAsync(100)
  }
  return settled
}

/** What the caller got, in the table's words. */
function describeOutcome(result: { value?: unknown; error?: unknown }): string {
  const { value, error } = result
  if ('error' in result) {
    if (isAuthError(error)) return `${error.name} (${[error.code, error.status].filter(Boolean).join(', ')})`
    if (axios.isAxiosError(error)) return `AxiosError ${error.response?.status ?? '(no response)'}`
    return `untyped ${String(error)}`
  }
  if (value instanceof Response) return `${value.status} response`
  if (value && typeof value === 'object' && 'status' in value && 'config' in value) return `${(value as { status: number }).status} response`
  return value === undefined ? 'resolved' : 'resolved with a value'
}

async function loggedIn() {
  const auth = createAuthClient({ baseURL: API, timeout: TIMEOUT_MS, crossTab: false, autoRefresh: false })
  await auth.login(credentials)
  return auth
}

/** Sets the fault up, then runs the step of the flow it hits; returns what the caller got. */
async function runRow(row: FaultRow, auth: AuthClient) {
  const { point, fault } = row
  const api = axios.create({ baseURL: API })
  attachAxios(auth, api)
  const request = () => (row.adapter === 'axios' ? api.get(TODOS) : auth.fetch(TODOS))

  switch (point) {
    case 'login':
      if (fault === 'latency') mock.faults.latency(LATENCY_MS)
      else if (fault !== 'refused') server.use(http.post(`${API}/auth/login`, () => faultResponse(fault, 401), { once: true }))
      return outcome(auth.login(fault === 'refused' ? { ...credentials, password: 'wrong' } : credentials), fault)

    case 'proactive refresh':
    case 'reactive refresh':
      // Proactive: the client's clock reaches the leeway (the token still has 20 s). Reactive: only the
      // server's clock passes the expiry, and the API answers 401.
      if (point === 'proactive refresh') vi.setSystemTime(Date.now() + 280_000)
      else mock.clock.advance(301)
      if (fault === 'latency') mock.faults.latency(LATENCY_MS)
      else if (fault === 'refused') await revokeOnServer(auth)
      else mock.faults.failNextRefresh(fault === '503' ? 503 : fault)
      return outcome(request(), fault)

    case 'retry': {
      mock.clock.advance(301)
      let tries = 0
      server.use(
        http.get(TODOS, async ({ request: sent }) => {
          if (++tries === 1) return getResponse(mock.handlers, sent)
          if (fault !== 'latency') return faultResponse(fault, 401)
          await new Promise((resolve) => setTimeout(resolve, LATENCY_MS))
          return getResponse(mock.handlers, sent)
        }),
      )
      // Time passes only for the retry: the refresh before it is answered as fast as the server can.
      return outcome(request(), fault, () => tries === 2)
    }

    case 'logout':
      if (fault === 'latency') mock.faults.latency(LATENCY_MS)
      else server.use(http.post(`${API}/auth/logout`, () => faultResponse(fault, 401), { once: true }))
      return outcome(auth.logout(), fault)
  }
}

/** The server revokes the session (as another device's logout does): the next refresh is refused with invalid_grant. */
async function revokeOnServer(auth: AuthClient) {
  const { accessToken } = auth.getState()
  await fetch(`${API}/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${accessToken}` } })
}

describe('fault injection: each fault at each point of the flow', () => {
  it.for(FAULT_MATRIX)('$point, $fault, $adapter: the caller gets $caller, the client keeps $state', async (row, { task }) => {
    const auth = row.point === 'login' ? createAuthClient({ baseURL: API, timeout: TIMEOUT_MS, crossTab: false }) : await loggedIn()
    const before = auth.getState().accessToken
    const emitted: string[] = []
    for (const event of events) auth.on(event, () => emitted.push(event))

    const caller = describeOutcome(await runRow(row, auth))
    const { status, accessToken } = auth.getState()
    const state: FaultRow['state'] = status !== 'authenticated' ? 'logged out' : accessToken === before ? 'same tokens' : 'new tokens'
    const observed = { caller, state, events: emitted.join(', ') }
    const { point, fault, adapter, ...expected } = row
    task.meta.faultRow = { point, fault, adapter, ...observed, expected }
    auth.destroy()

    expect(observed).toEqual(expected)
    if (state === 'logged out') expect(await auth.getAccessToken()).toBeNull()
  })
})
