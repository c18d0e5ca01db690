import type { StoredTokens } from './TokenStorage'

// Stored records carry a version, so a future format can tell old records from its own and a foreign value
// under our key is recognised as not ours. Version 2 binds each record to its auth server.
const VERSION = 2

export const encodeTokens = (tokens: StoredTokens) => JSON.stringify({ v: VERSION, ...tokens })

/**
 * The record's fields (validated later like any input), `null` when nothing is stored, or `false` for
 * something stored that is not a record of ours: the client reads that as logged out and removes it.
 */
export function decodeTokens(text: string | null | undefined): unknown {
  if (!text) return null
  try {
    const record: unknown = JSON.parse(text)
    return !!record && typeof record === 'object' && (record as { v?: unknown }).v === VERSION && record
  } catch {
    return false
  }
}
