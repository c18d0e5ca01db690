import { createHash, randomBytes } from 'node:crypto'

export interface AuthorizationCodeFlow {
  issuer: string
  clientId: string
  redirectUri: string
  scope: string
  resource: string
  /** Who signs in on the provider's development login page (it accepts any login and password). */
  login: string
}

const base64url = (bytes: Buffer) => bytes.toString('base64url')

/**
 * Walks an authorization request through the provider's development login and consent pages, as a browser would
 * (following redirects, keeping cookies, posting each form), and resolves the redirect back to `redirectUri` with
 * its `code`, `state` and `iss` (or `error`). For a client library's own redirect login: hand it the URL the library
 * navigates to, then give the library the returned URL as its callback.
 */
export async function walkAuthorization(authorizationURL: string, options: { redirectUri: string; login: string }): Promise<URL> {
  const cookies = new Map<string, string>()
  let location = authorizationURL
  for (let hop = 0; hop < 12; hop++) {
    if (location.startsWith(options.redirectUri)) return new URL(location)
    const response = await send(location)
    if (response.status >= 300 && response.status < 400) {
      location = new URL(response.headers.get('location')!, location).href
      continue
    }
    const page = await response.text()
    if (response.status !== 200) throw new Error(`authorization flow: ${location} answered ${response.status}: ${page.slice(0, 300)}`)
    // The development interactions: a login form, then a consent form, each posting to its own action.
    const action = /<form[^>]*action="([^"]+)"/.exec(page)?.[1]
    const prompt = /name="prompt" value="([a-z]+)"/.exec(page)?.[1]
    if (!action || !prompt) throw new Error(`authorization flow: no form on ${location}`)
    const form = new URLSearchParams({ prompt })
    if (prompt === 'login') form.set('login', options.login), form.set('password', 'any')
    const submitted = await send(new URL(action, location).href, { method: 'POST', body: form })
    if (submitted.status < 300 || submitted.status >= 400) {
      throw new Error(`authorization flow: ${prompt} form answered ${submitted.status}: ${(await submitted.text()).slice(0, 300)}`)
    }
    location = new URL(submitted.headers.get('location')!, location).href
  }
  throw new Error('authorization flow: too many redirects')

  async function send(url: string, init: RequestInit = {}) {
    const headers = new Headers(init.headers)
    if (cookies.size) headers.set('cookie', [...cookies].map(([name, value]) => `${name}=${value}`).join('; '))
    const response = await fetch(url, { ...init, headers, redirect: 'manual' })
    for (const cookie of response.headers.getSetCookie()) {
      const [pair = ''] = cookie.split(';')
      const eq = pair.indexOf('=')
      const name = pair.slice(0, eq).trim()
      const value = pair.slice(eq + 1).trim()
      if (/expires=Thu, 01 Jan 1970/i.test(cookie) || value === '') cookies.delete(name)
      else cookies.set(name, value)
    }
    return response
  }
}

/**
 * The authorization code flow with PKCE (S256), `state` and `nonce`, driven over HTTP: the authorization request,
 * the provider's pages (`walkAuthorization`), the redirect back with the code (checked for `state` and RFC 9207
 * `iss`), and the code exchange at the token endpoint. Resolves the token endpoint's JSON as it was sent.
 */
export async function authorizationCodeFlow(flow: AuthorizationCodeFlow): Promise<Record<string, unknown>> {
  const verifier = base64url(randomBytes(32))
  const challenge = base64url(createHash('sha256').update(verifier).digest())
  const state = base64url(randomBytes(16))
  const nonce = base64url(randomBytes(16))

  const authorize = new URL('/auth', flow.issuer)
  authorize.search = new URLSearchParams({
    client_id: flow.clientId,
    response_type: 'code',
    redirect_uri: flow.redirectUri,
    scope: flow.scope,
    resource: flow.resource,
    // oidc-provider drops offline_access (so issues no refresh token) unless consent is prompted for.
    prompt: 'consent',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state,
    nonce,
  }).toString()

  const callback = await walkAuthorization(authorize.href, flow)
  const params = callback.searchParams
  if (params.get('error')) throw new Error(`authorization flow: ${params.get('error')}: ${params.get('error_description')}`)
  if (params.get('state') !== state) throw new Error('authorization flow: state mismatch')
  if (params.get('iss') !== null && params.get('iss') !== flow.issuer) throw new Error('authorization flow: iss mismatch')
  const code = params.get('code')
  if (!code) throw new Error('authorization flow: no code')
  const response = await fetch(new URL('/token', flow.issuer), {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: flow.redirectUri,
      client_id: flow.clientId,
      code_verifier: verifier,
      resource: flow.resource,
    }),
  })
  const body = (await response.json()) as Record<string, unknown>
  if (response.status !== 200) throw new Error(`authorization flow: code exchange answered ${response.status} ${JSON.stringify(body)}`)
  return body
}
