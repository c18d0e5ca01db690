// Request bodies are read defensively: anything odd is a 400 `invalid_request` for the caller, never a throw.

export const MAX_BODY_BYTES = 64 * 1024
const JSON_CONTENT_TYPE = /^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i

export type JsonObject = Record<string, unknown>

export interface ReadJsonOptions {
  /** An empty body reads as `{}` (endpoints whose body is optional). @default false */
  allowEmpty?: boolean
  limit?: number
}

/** The body as a JSON object, or undefined when it is missing, too large, not UTF-8, not JSON or not an object. */
export async function readJsonObject(request: Request, options: ReadJsonOptions = {}): Promise<JsonObject | undefined> {
  const text = await readText(request, options.limit ?? MAX_BODY_BYTES)
  if (text === undefined) return undefined
  if (text.trim() === '') return options.allowEmpty ? {} : undefined
  // A body a cross-site form could send (text/plain, urlencoded) is refused: only JSON, which a page on
  // another origin cannot send without asking first (CORS preflight), so no form can log a visitor in.
  if (!JSON_CONTENT_TYPE.test(request.headers.get('content-type') ?? '')) return undefined
  try {
    const value: unknown = JSON.parse(text)
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as JsonObject) : undefined
  } catch {
    return undefined
  }
}

async function readText(request: Request, limit: number): Promise<string | undefined> {
  const declared = Number(request.headers.get('content-length') ?? 0)
  if (declared > limit) return undefined
  if (!request.body) return ''
  const bytes = await readCapped(request.body, limit)
  if (!bytes) return undefined
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return undefined
  }
}

/** Reads at most `limit` bytes; stops and cancels the stream as soon as the body turns out bigger. */
async function readCapped(body: ReadableStream<Uint8Array>, limit: number): Promise<Uint8Array | undefined> {
  const reader = body.getReader()
  const chunks: Uint8Array[] = []
  let size = 0
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) break
      size += value.byteLength
      if (size > limit) {
        // Not awaited: some stream sources settle cancel() only once fully read, and the answer must not wait.
        reader.cancel().catch(() => {})
        return undefined
      }
      chunks.push(value)
    }
  } catch {
    return undefined
  }
  const bytes = new Uint8Array(size)
  let offset = 0
  for (const chunk of chunks) {
    bytes.set(chunk, offset)
    offset += chunk.byteLength
  }
  return bytes
}
