import { HttpResponse } from 'msw'

// Token endpoint answers must never be cached (RFC 6749 section 5.1).
const NO_STORE: Record<string, string> = { 'Cache-Control': 'no-store', Pragma: 'no-cache' }

export interface ErrorResponseInit {
  description?: string
  headers?: Record<string, string>
}

/** An OAuth-style error body: `{ error, error_description? }`. */
export function errorResponse(status: number, error: string, init: ErrorResponseInit = {}): Response {
  const body = init.description === undefined ? { error } : { error, error_description: init.description }
  return HttpResponse.json(body, { status, headers: { ...NO_STORE, ...init.headers } })
}

export function noStoreJson(body: Record<string, unknown>, status = 200, headers: Record<string, string> = {}): Response {
  return HttpResponse.json(body, { status, headers: { ...NO_STORE, ...headers } })
}

export function noContent(headers: Record<string, string> = {}): Response {
  return new HttpResponse(null, { status: 204, headers: { ...NO_STORE, ...headers } })
}

export const invalidRequest = (description?: string) => errorResponse(400, 'invalid_request', { description })
