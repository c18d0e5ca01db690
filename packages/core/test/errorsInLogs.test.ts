import { attachAxios } from '@tokenrail/core/axios'
import axios, { AxiosError } from 'axios'
import { Console } from 'node:console'
import { Writable } from 'node:stream'
import { inspect } from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { createAuthClient, isAuthError, memoryStorage, type AuthClient, type AuthError, type TokenSet } from '../src'
import { API, credentials, TODOS, useMockApi } from './mockApi'

// An app logs what a request rejected with, and what the client reports; logs get shipped. Whatever a
// tokenrail error holds, at any depth, must not print the access token or the refresh token.
const { mock } = useMockApi({ accessTokenTtl: 300 })

let clients: AuthClient[] = []
afterEach(() => {
  clients.forEach((client) => client.destroy())
  clients = []
})

/** Memory storage that lets the test read the refresh token, which no public API hands out. */
function recordingMemory() {
  const storage = memoryStorage()
  return { ...storage, stored: () => storage.get('') as TokenSet | null }
}

/** What `console.error(value)` prints, captured from a console of its own. */
function printed(value: unknown): string {
  let text = ''
  const sink = new Writable({ write: (chunk, _, done) => void ((text += String(chunk)), done()) })
  new Console({ stdout: sink, stderr: sink }).error(value)
  return text
}

const faults = {
  'a refused refresh': () => mock.reset(),
  'a refresh that failed (network)': () => mock.faults.failNextRefresh('network'),
  'a refresh that failed (503)': () => mock.faults.failNextRefresh(503),
  'a refresh answered with no token set': () => mock.faults.failNextRefresh('bad-json'),
}
const senders = {
  'auth.fetch': (auth: AuthClient) => auth.fetch(TODOS),
  'attachAxios (Node http adapter)': (auth: AuthClient) => viaAxios(auth, 'http'),
  'attachAxios (fetch adapter)': (auth: AuthClient) => viaAxios(auth, 'fetch'),
}
function viaAxios(auth: AuthClient, adapter: 'http' | 'fetch') {
  const api = axios.create({ baseURL: API, adapter })
  attachAxios(auth, api)
  return api.get('/api/todos')
}

describe.each(Object.entries(senders))('through %s', (_, send) => {
  it.each(Object.entries(faults))('%s: the rejection and every event print no token, at any depth', async (__, fault) => {
    const storage = recordingMemory()
    const auth = createAuthClient({ baseURL: API, storage })
    clients.push(auth)
    const reported: AuthError[] = []
    auth.on('error', (error) => void reported.push(error))
    auth.on('sessionExpired', (error) => void reported.push(error))
    await auth.login(credentials)
    const { accessToken, refreshToken } = storage.stored()!
    const secrets = [accessToken, refreshToken!]
    expect(secrets.every(Boolean)).toBe(true)
    fault()
    mock.clock.advance(301) // the access token expires on the server: a 401, then the refresh
    const rejection = await send(auth).then(
      () => expect.unreachable('the request should reject'),
      (reason: unknown) => reason,
    )
    expect(isAuthError(rejection)).toBe(true)
    for (const error of [rejection, ...reported]) {
      const logged = [inspect(error, { depth: Infinity, showHidden: true }), printed(error), String(error), JSON.stringify(error)]
      for (const text of logged) for (const secret of secrets) expect(text).not.toContain(secret)
    }
  })
})

describe('what a tokenrail error keeps of axios’ answer', () => {
  it('the cause still gives the status and the response data, and the config without the Bearer', async () => {
    const auth = createAuthClient({ baseURL: API })
    clients.push(auth)
    await auth.login(credentials)
    mock.reset()
    mock.clock.advance(301)
    const error = (await viaAxios(auth, 'http').catch((reason: unknown) => reason)) as Error
    const cause = error.cause as AxiosError
    expect(cause).toBeInstanceOf(AxiosError)
    // The adapter's answer, before axios' transforms: the body as the server sent it.
    expect(cause.response?.status).toBe(401)
    expect(String(cause.response?.data)).toContain('invalid_token')
    expect(cause.config?.url).toBe('/api/todos')
    expect(cause.request).toBeUndefined()
    expect(cause.response?.request).toBeUndefined()
  })
})
