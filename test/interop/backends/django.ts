import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { answer, bearer, isObject, passwordLogin, poster, processControls, type Backend } from '../harness/backend'
import { startServerProcess } from '../harness/child'

interface Ready {
  authBaseURL: string
  resourceURL: string
  credentials: Record<string, string>
  accessTokenTtl: number
}

/** Debian's python3 (not whatever `python3` comes first on PATH): the one the Debian Django packages belong to. */
export const DEBIAN_PYTHON = '/usr/bin/python3'

/** Django 3.2 + djangorestframework 3.14 + djangorestframework-simplejwt 5.2.2, from Debian's packages. */
export async function startDjango(): Promise<Backend> {
  const workdir = mkdtempSync(join(tmpdir(), 'tokenrail-django-'))
  const server = await startServerProcess<Ready>('django', DEBIAN_PYTHON, [fileURLToPath(new URL('../django/serve.py', import.meta.url))], {
    env: { INTEROP_DJANGO_DB: join(workdir, 'db.sqlite3'), PYTHONDONTWRITEBYTECODE: '1' },
  }).catch((error) => {
    rmSync(workdir, { recursive: true, force: true })
    throw error
  })
  const { authBaseURL, resourceURL, credentials, accessTokenTtl } = server.ready
  const endpoints = { login: `${authBaseURL}/api/token/`, refresh: `${authBaseURL}/api/token/refresh/`, logout: `${authBaseURL}/api/token/blacklist/` }
  const post = poster()
  const controls = processControls(server)

  const backend: Backend = {
    name: 'django-simplejwt',
    title: 'Django 3.2 + djangorestframework-simplejwt 5.2.2 (Debian packages; rotation + blacklist)',
    authBaseURL,
    endpoints,
    resourceURL,
    credentials,
    headers: {},
    accessTokenTtl,
    refreshWith: 'refreshToken',
    reuseIntervalSeconds: 0,
    notes: [
      'token answers are {"access","refresh"}: no expires_in',
      'a refreshed access token carries the iat of the refresh token it came from (the login time for the first refresh), so exp - iat is longer than its lifetime',
      'a blacklisted refresh token answers 401 {"detail":"Token is blacklisted","code":"token_not_valid"}',
    ],
    rawLogin: () => passwordLogin(post, endpoints.login, credentials, 'django'),
    tokensOf(body) {
      if (!isObject(body) || typeof body.access !== 'string') throw new Error(`not a SimpleJWT token answer: ${JSON.stringify(body)}`)
      return { accessToken: body.access, refreshToken: typeof body.refresh === 'string' ? body.refresh : undefined }
    },
    rawRefresh: (refresh) => post(endpoints.refresh, {}, { refresh }),
    rawLogout: (tokens) => post(endpoints.logout, {}, { refresh: tokens.refreshToken }),
    rawResource: async (accessToken) => answer(await fetch(resourceURL, { headers: bearer(accessToken) })),
    acceptsRefresh: async (credential) => (await backend.rawRefresh(credential)).status === 200,
    acceptsAccess: async (accessToken) => (await backend.rawResource(accessToken)).status === 200,
    ...controls,
    async stop() {
      await controls.stop()
      rmSync(workdir, { recursive: true, force: true })
    },
  }
  return backend
}
