// @vitest-environment happy-dom
import { act, cleanup } from '@testing-library/react'
import { hydrateRoot, type Root } from 'react-dom/client'
import { renderToString } from 'react-dom/server'
import { afterEach, expect, it, vi } from 'vitest'
import { AuthProvider, type AuthClient } from '../src/index'
import { LoginFlow } from './LoginFlow'
import { useMockAuthServer } from './mockAuthServer'

const { createClient, loggedInClient } = useMockAuthServer()
let root: Root | undefined
afterEach(() => {
  act(() => root?.unmount())
  root = undefined
  document.body.innerHTML = ''
  cleanup()
})

const app = (auth: AuthClient) => (
  <AuthProvider client={auth}>
    <LoginFlow />
  </AuthProvider>
)

it('hydrates server HTML without a mismatch when the browser has a session the server did not know', async () => {
  // The server's client knows nobody; the browser's client found a session in its storage.
  const html = renderToString(app(createClient()))
  const browser = await loggedInClient()
  const container = document.createElement('div')
  container.innerHTML = html
  document.body.append(container)
  expect(container.textContent).toBe('Loading…')
  const onRecoverableError = vi.fn()

  await act(async () => {
    root = hydrateRoot(container, app(browser), { onRecoverableError })
  })

  expect(onRecoverableError).not.toHaveBeenCalled()
  expect(container.textContent).toContain('Signed in as Demo User')
})
