import type { ServerContext } from '../context'
import type { AccessTokenPayload } from '../jwt'
import { errorResponse } from '../responses'

export type Authentication = { ok: true; payload: AccessTokenPayload } | { ok: false; response: Response }

/** The Bearer token of `request`, or undefined when the header is missing or of another scheme. */
export function bearerToken(request: Request): string | undefined {
  const match = /^Bearer[ ]+(\S+)[ ]*$/i.exec(request.headers.get('authorization') ?? '')
  return match?.[1]
}

/**
 * The check every protected route makes: a Bearer token signed by this server (HS256 only), within exp / nbf,
 * with this server's iss and aud, from a session that is not revoked. Anything else is a 401.
 */
export async function authenticate(context: ServerContext, request: Request): Promise<Authentication> {
  const header = request.headers.get('authorization')
  if (header === null) return refuse(context, 'missing bearer token')
  const token = bearerToken(request)
  if (token === undefined) return refuse(context, 'authorization header is not a Bearer token')
  const result = await context.accessTokens.verify(token)
  if (!result.ok) return refuse(context, result.reason)
  const sid = result.payload.sid
  if (typeof sid === 'string' && context.sessions.get(sid)?.revoked) return refuse(context, 'session revoked')
  return { ok: true, payload: result.payload }
}

function refuse(context: ServerContext, reason: string): Authentication {
  context.stats.unauthorized++
  const response = errorResponse(401, 'invalid_token', {
    description: reason,
    headers: { 'WWW-Authenticate': 'Bearer error="invalid_token"' },
  })
  return { ok: false, response }
}
