import type { TokenSet } from '../tokens'

// Stored records carry a version, so a future format can tell old records from its own and a foreign value
// under our key is recognised as not ours.
const VERSION = 1

export const encodeTokens = (tokens: TokenSet) => JSON.stringify({ v: VERSION, ...tokens })

/** The record's fields, or `null` for anything that is not a record of ours (it is validated later anyway). */
export function decodeTokens(text: string | null | undefined): unknown {
  if (!text) return null
  try {
    const record: unknown = JSON.parse(text)
    return record && typeof record === 'object' && (record as { v?: unknown }).v === VERSION ? record : null
  } catch {
    return null
  }
}
