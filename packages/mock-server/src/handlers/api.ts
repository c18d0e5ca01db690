import { http, HttpResponse, type HttpHandler } from 'msw'
import type { ServerContext } from '../context'
import { readJsonObject } from '../readJsonBody'
import { invalidRequest } from '../responses'
import { authenticate } from './authenticate'

const MAX_TITLE_LENGTH = 200

/** The protected demo API: each user's todos, in memory. */
export function createApiHandlers(context: ServerContext): HttpHandler[] {
  const { endpoints, todos, stats } = context
  return [
    http.get(endpoints.todos, async ({ request }) => {
      stats.apiRequests++
      const auth = await authenticate(context, request)
      if (!auth.ok) return auth.response
      return HttpResponse.json(todos.list(auth.payload.sub))
    }),
    http.post(endpoints.todos, async ({ request }) => {
      stats.apiRequests++
      const auth = await authenticate(context, request)
      if (!auth.ok) return auth.response
      const body = await readJsonObject(request)
      const title = typeof body?.title === 'string' ? body.title.trim() : ''
      const done = body?.done ?? false
      if (title === '' || title.length > MAX_TITLE_LENGTH || typeof done !== 'boolean') {
        return invalidRequest(`expected a JSON body { title: string (1-${MAX_TITLE_LENGTH} characters), done?: boolean }`)
      }
      return HttpResponse.json(todos.add(auth.payload.sub, title, done), { status: 201 })
    }),
  ]
}
