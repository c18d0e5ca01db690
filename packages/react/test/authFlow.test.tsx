// @vitest-environment happy-dom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react'
import { afterEach, describe, expect, it } from 'vitest'
import { AuthProvider, isSessionExpiredError, type AuthClient } from '../src/index'
import { LoginFlow } from './LoginFlow'
import { credentials, TODOS, useMockAuthServer } from './mockAuthServer'

const { mock, createClient, loggedInClient } = useMockAuthServer()
afterEach(cleanup)

function renderApp(auth: AuthClient) {
  return render(
    <AuthProvider client={auth}>
      <LoginFlow />
    </AuthProvider>,
  )
}

function signIn(username: string, password: string) {
  fireEvent.change(screen.getByLabelText('Username'), { target: { value: username } })
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } })
  fireEvent.click(screen.getByRole('button', { name: 'Sign in' }))
}

const tokenId = () => screen.getByTestId('token-id').textContent

describe('a React app on the mock auth server', () => {
  it('logs in through the form and shows the user', async () => {
    const auth = createClient()
    renderApp(auth)

    signIn(credentials.username, credentials.password)

    expect(await screen.findByText('Signed in as Demo User')).toBeTruthy()
    expect(screen.queryByRole('form', { name: 'Sign in' })).toBeNull()
    expect(auth.getState().status).toBe('authenticated')
    expect(mock.stats.logins).toBe(1)
  })

  it('keeps the form and shows the server refusal for a wrong password', async () => {
    const auth = createClient()
    renderApp(auth)

    signIn(credentials.username, 'not-the-password')

    expect((await screen.findByRole('alert')).textContent).toBe('Login refused: invalid_credentials')
    expect(screen.getByRole('form', { name: 'Sign in' })).toBeTruthy()
    expect(auth.getState().status).toBe('unauthenticated')
  })

  it('logs out: the session is revoked on the server and the form comes back', async () => {
    const auth = await loggedInClient()
    renderApp(auth)
    expect(screen.getByText('Signed in as Demo User')).toBeTruthy()

    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }))

    expect(await screen.findByRole('form', { name: 'Sign in' })).toBeTruthy()
    expect(screen.queryByText('Signed in as Demo User')).toBeNull()
    expect(auth.getState().accessToken).toBeNull()
    expect(mock.stats.revoked).toBe(1)
  })

  it('turns a protected page into its fallback when the server refuses the refresh', async () => {
    const auth = await loggedInClient()
    renderApp(auth)
    expect(screen.getByText('Signed in as Demo User')).toBeTruthy()

    // A day later on the server: the access token and the whole refresh token family have expired.
    mock.clock.advance(86_400 + 1)
    await act(async () => {
      await expect(auth.fetch(TODOS)).rejects.toSatisfy(isSessionExpiredError)
    })

    expect(screen.getByRole('form', { name: 'Sign in' })).toBeTruthy()
    expect(screen.queryByText('Signed in as Demo User')).toBeNull()
    expect(mock.stats.refreshAttempts).toBe(1)
    expect(mock.stats.refreshes).toBe(0)
  })

  it('re-renders with the new token when a request refreshes it transparently while mounted', async () => {
    const auth = await loggedInClient()
    renderApp(auth)
    const before = tokenId()

    // The server sees the access token expired; the client learns it from the 401.
    mock.clock.advance(301)
    const response = await act(() => auth.fetch(TODOS))

    expect(response.status).toBe(200)
    expect(mock.stats.refreshes).toBe(1)
    expect(tokenId()).not.toBe(before)
    expect(tokenId()).toBe(auth.getState().user?.jti)
    expect(screen.getByText('Signed in as Demo User')).toBeTruthy()
  })

  it('follows a login made outside React, by the client itself', async () => {
    const auth = createClient()
    renderApp(auth)
    expect(screen.getByRole('form', { name: 'Sign in' })).toBeTruthy()

    await act(() => auth.login(credentials))

    expect(screen.getByText('Signed in as Demo User')).toBeTruthy()
  })
})
