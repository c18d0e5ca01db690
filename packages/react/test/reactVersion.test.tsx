// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/react'
import { version } from 'react'
import { version as domVersion } from 'react-dom'
import { afterEach, expect, it } from 'vitest'
import { AuthProvider, createAuthClient, useAuth } from '../src/index'

// `npm test` runs on the root's React 19; `npm run test:react18` sets TOKENRAIL_REACT_MAJOR and aliases React 18.
const expectedMajor = process.env.TOKENRAIL_REACT_MAJOR ?? '19'

afterEach(cleanup)

it(`runs on React ${expectedMajor}, with react-dom and @testing-library/react on the same copy`, () => {
  expect(version.split('.')[0]).toBe(expectedMajor)
  expect(domVersion).toBe(version)

  // Hooks only work when the renderer @testing-library/react drives shares this React copy.
  const auth = createAuthClient({ baseURL: 'https://api.example.com', crossTab: false, autoRefresh: false })
  function Status() {
    return <p>{useAuth().status}</p>
  }
  render(
    <AuthProvider client={auth}>
      <Status />
    </AuthProvider>,
  )
  expect(screen.getByText('unauthenticated')).toBeTruthy()
  auth.destroy()
})
