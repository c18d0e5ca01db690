// Test controls over HTTP for a server running in another process (browser tests, demos). Off unless asked for:
// anyone who can reach them can move the clock and wipe sessions.
import { http, HttpResponse, type HttpHandler } from 'msw'
import type { MockAuthServer } from '@tokenrail/mock-server'

export const CONTROL_PATHS = { advance: '/__mock/clock/advance', stats: '/__mock/stats', reset: '/__mock/reset' } as const

export function createControlHandlers(mock: MockAuthServer): HttpHandler[] {
  return [
    http.post(CONTROL_PATHS.advance, async ({ request }) => {
      const seconds = await readSeconds(request)
      if (seconds === undefined) {
        return HttpResponse.json({ error: 'invalid_request', error_description: 'expected { seconds: number >= 0 }' }, { status: 400 })
      }
      mock.clock.advance(seconds)
      return HttpResponse.json({ now: mock.clock.now() })
    }),
    http.get(CONTROL_PATHS.stats, () => HttpResponse.json({ ...mock.stats }, { headers: { 'Cache-Control': 'no-store' } })),
    http.post(CONTROL_PATHS.reset, () => {
      mock.reset()
      return new HttpResponse(null, { status: 204 })
    }),
  ]
}

async function readSeconds(request: Request): Promise<number | undefined> {
  try {
    const body: unknown = JSON.parse(await request.text())
    const seconds = (body as { seconds?: unknown } | null)?.seconds
    return typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 0 ? seconds : undefined
  } catch {
    return undefined
  }
}
