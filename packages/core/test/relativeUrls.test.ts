import { http, HttpResponse } from 'msw'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { API, TODOS, useClients, useMockApi } from './mockApi'

// In a page, a relative URL goes where the page's own fetch sends it: against the page, not against baseURL. With
// the API on another origin, such a request carries no token; a development build says so, once per client.
const PAGE = 'https://app.example.com/dashboard/'
const { server } = useMockApi()
const { loggedIn } = useClients({ crossTab: false, autoRefresh: false })

afterEach(() => {
  vi.unstubAllGlobals()
  vi.unstubAllEnvs()
  vi.restoreAllMocks()
})

function inAPage() {
  vi.stubGlobal('document', { baseURI: PAGE, visibilityState: 'visible', addEventListener: () => undefined, removeEventListener: () => undefined })
  const seen: (string | null)[] = []
  server.use(http.get('https://app.example.com/*', ({ request }) => (seen.push(request.headers.get('authorization')), HttpResponse.json({}))))
  return seen
}

describe('a relative URL in auth.fetch', () => {
  it('resolves against the page; where that origin is not allowed, it goes without a token, and a development build warns once', async () => {
    const auth = await loggedIn()
    const seen = inAPage()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    await auth.fetch('/api/todos')
    await auth.fetch('/api/todos?page=2')
    expect(seen).toEqual([null, null])
    expect(warn).toHaveBeenCalledTimes(1)
    expect(warn.mock.calls[0]?.[0]).toBe(
      "tokenrail: auth.fetch('/api/todos') went to https://app.example.com/api/todos without a token: relative URLs resolve against the page, not baseURL",
    )
    // An absolute URL to the API carries it as always.
    expect((await auth.fetch(TODOS)).status).toBe(200)
  })

  it('says nothing in a production build, nor where the page’s origin is allowed', async () => {
    const auth = await loggedIn()
    inAPage()
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined)
    vi.stubEnv('NODE_ENV', 'production')
    await auth.fetch('/api/todos')
    vi.unstubAllEnvs()
    const same = await loggedIn({ allowedOrigins: [API, 'https://app.example.com'] })
    await same.fetch('/api/todos')
    expect(warn).not.toHaveBeenCalled()
  })
})
