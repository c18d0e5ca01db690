// @vitest-environment happy-dom
import { cleanup, render, renderHook } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { RequireAuth, useAuth, useAuthClient, useAuthState, useUser } from '../src/index'

beforeEach(() => {
  // React reports the render error on the console as well; the assertion is on what is thrown.
  vi.spyOn(console, 'error').mockImplementation(() => undefined)
})
afterEach(() => {
  cleanup()
  vi.restoreAllMocks()
})

const fix = [
  'must be used inside <AuthProvider client={...}>',
  "const auth = createAuthClient({ baseURL: '...' })",
  '<AuthProvider client={auth}><App /></AuthProvider>',
]

describe('outside an AuthProvider', () => {
  it.each<[string, () => unknown]>([
    ['useAuth()', () => useAuth()],
    ['useUser()', () => useUser()],
    ['useAuthState()', () => useAuthState((state) => state.status)],
    ['useAuthClient()', () => useAuthClient()],
  ])('%s throws an error that names the provider and shows the fix', (name, hook) => {
    expect(() => renderHook(hook)).toThrow(`tokenrail: ${name} ${fix[0]}`)
    for (const line of fix) expect(() => renderHook(hook)).toThrow(line)
  })

  it('<RequireAuth> throws the same advice', () => {
    expect(() => render(<RequireAuth>secret</RequireAuth>)).toThrow(`tokenrail: <RequireAuth> ${fix[0]}`)
  })
})
