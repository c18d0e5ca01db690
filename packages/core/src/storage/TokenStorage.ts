import type { TokenSet } from '../tokens'

type MaybePromise<T> = T | Promise<T>

/** The record a client stores: its tokens, the auth server (`baseURL`, resolved) they belong to, and their stamp. */
export interface StoredTokens extends TokenSet {
  server: string
  /** When the session was last made or heard of, as the tabs order their news (a storage may drop it). */
  at?: number
}

/**
 * Where a client keeps its tokens between page loads. Each method may be sync or async. `get` should hand back
 * what `set` was given: a record for another auth server is never adopted, and anything that is not a valid
 * token set (corrupt, planted) reads as "logged out" and is removed. `key` is the client's own name for its
 * record (`tokenrail:<auth server>`), so a storage that several clients share can keep their records apart.
 */
export interface TokenStorage {
  get(key: string): MaybePromise<unknown>
  set(tokens: StoredTokens, key: string): MaybePromise<void>
  clear(key: string): MaybePromise<void>
}
