import { runInNewContext } from 'node:vm'
import { describe, expect, it } from 'vitest'
import {
  AuthError,
  isAuthError,
  isLoginError,
  isNetworkError,
  isSessionExpiredError,
  LoginError,
  NetworkError,
  SessionExpiredError,
} from './errors'

describe('errors', () => {
  it('are AuthErrors with a code, a name and the cause kept', () => {
    const cause = new TypeError('fetch failed')
    const error = new NetworkError('POST https://api.example.com/auth/refresh failed', { cause })
    expect(error).toBeInstanceOf(AuthError)
    expect(error).toBeInstanceOf(Error)
    expect(error.name).toBe('NetworkError')
    expect(error.code).toBe('network')
    expect(error.cause).toBe(cause)
  })

  it('keep their own code when options say code: undefined', () => {
    expect(new SessionExpiredError('x', { code: undefined }).code).toBe('session_expired')
    expect(new LoginError('x', { code: undefined }).code).toBe('login_failed')
    expect(new NetworkError('x', { code: undefined }).code).toBe('network')
  })

  it('each guard recognises its own class and no other', () => {
    const login = new LoginError('refused', { status: 401, error: 'invalid_credentials' })
    const expired = new SessionExpiredError('refused')
    const network = new NetworkError('failed')
    expect([login, expired, network].map(isAuthError)).toEqual([true, true, true])
    expect([login, expired, network].map(isLoginError)).toEqual([true, false, false])
    expect([login, expired, network].map(isSessionExpiredError)).toEqual([false, true, false])
    expect([login, expired, network].map(isNetworkError)).toEqual([false, false, true])
    expect(isAuthError(new Error('plain'))).toBe(false)
    expect(isAuthError(null)).toBe(false)
    expect(isAuthError({ name: 'AuthError' })).toBe(false)
  })

  it('guards recognise an error from another realm by its name and code', () => {
    const foreign = runInNewContext(
      'const e = new Error("refused"); e.name = "SessionExpiredError"; e.code = "session_expired"; e',
    )
    expect(foreign instanceof Error).toBe(false)
    expect(isSessionExpiredError(foreign)).toBe(true)
    expect(isAuthError(foreign)).toBe(true)
    expect(isLoginError(foreign)).toBe(false)
  })

  it('serialise without their cause, so nothing the cause carries leaks into logs', () => {
    const cause = { config: { headers: { authorization: 'Bearer secret-token' } } }
    const error = new LoginError('POST https://api.example.com/auth/login refused (401)', {
      status: 401,
      error: 'invalid_credentials',
      cause,
    })
    const json = JSON.stringify(error)
    expect(JSON.parse(json)).toEqual({
      name: 'LoginError',
      code: 'login_failed',
      message: 'POST https://api.example.com/auth/login refused (401)',
      status: 401,
      error: 'invalid_credentials',
    })
    expect(json).not.toContain('secret-token')
  })
})
