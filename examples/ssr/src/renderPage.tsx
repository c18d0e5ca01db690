import type { IncomingMessage, ServerResponse } from 'node:http'
import { PassThrough } from 'node:stream'
import { StrictMode } from 'react'
import { renderToPipeableStream } from 'react-dom/server'
import { AuthProvider, createAuthClient, getAuthSnapshot, type AuthClient, type AuthSnapshot } from '@tokenrail/react'
import { App } from './App'
import { PAGE_DATA, scriptJson, type PageData, type Todo, type User } from './pageData'

/** The browser's token cookie, as `cookieStorage({ name: 'tokenrail' })` writes it: a versioned JSON record, URI-encoded. */
function accessTokenFrom(cookieHeader: string | undefined): string | undefined {
  const value = cookieHeader
    ?.split(/;\s*/)
    .find((part) => part.startsWith('tokenrail='))
    ?.slice('tokenrail='.length)
  try {
    const record = value ? (JSON.parse(decodeURIComponent(value)) as { accessToken?: unknown }) : undefined
    return typeof record?.accessToken === 'string' ? record.accessToken : undefined
  } catch {
    return undefined // not ours: render as logged out, the browser's client removes it
  }
}

const LOADING: AuthSnapshot<User> = { status: 'loading', user: null, expiresAt: null }

/**
 * What the page shows for this request. `auth` is given the access token only: the server must never refresh,
 * which would spend the browser's refresh token. The session counts as known once the API accepted the token;
 * for an expired one the page renders `loading`, and the browser, which holds the refresh token, refreshes and
 * takes over.
 */
async function load(auth: AuthClient<User>, accessToken: string | undefined, api: string): Promise<PageData> {
  if (!accessToken) return { snapshot: getAuthSnapshot(auth), todos: null }
  auth.setTokens({ accessToken })
  const response = await auth.fetch(`${api}/api/todos`).catch(() => undefined)
  if (!response?.ok) return { snapshot: LOADING, todos: null }
  return { snapshot: getAuthSnapshot(auth), todos: (await response.json()) as Todo[] }
}

/** Streams the page for `request` into `response`; `api` is where the auth server and the API live. */
export async function renderPage(request: IncomingMessage, response: ServerResponse, api: string): Promise<void> {
  // A client of its own per request, never one shared by every user of the server.
  const auth = createAuthClient<User>({ baseURL: api, crossTab: false, autoRefresh: false })
  const data = await load(auth, accessTokenFrom(request.headers.cookie), api).catch((error: unknown) => {
    auth.destroy()
    throw error
  })
  const head =
    '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>tokenrail SSR</title><link rel="icon" href="data:,">' +
    `<script>window.${PAGE_DATA}=${scriptJson(data)}</script>` +
    '<script type="module" src="/assets/client.js"></script></head><body><div id="root">'
  const { pipe } = renderToPipeableStream(
    <StrictMode>
      <AuthProvider client={auth} snapshot={data.snapshot}>
        <App todos={data.todos} />
      </AuthProvider>
    </StrictMode>,
    {
      onShellReady() {
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' })
        response.write(head)
        const body = new PassThrough()
        body.on('data', (chunk: Buffer) => response.write(chunk))
        body.on('end', () => {
          auth.destroy()
          response.end('</div></body></html>')
        })
        pipe(body)
      },
      onShellError() {
        auth.destroy()
        response.writeHead(500, { 'content-type': 'text/plain' }).end('Server error')
      },
    },
  )
}
