import type { TokenSet } from '../tokens'

type MaybePromise<T> = T | Promise<T>

/**
 * Where a client keeps its tokens between page loads. Each method may be sync or async. What `get` returns is
 * validated like input from a stranger: anything that is not a valid token set reads as "logged out".
 */
export interface TokenStorage {
  get(): MaybePromise<unknown>
  set(tokens: TokenSet): MaybePromise<void>
  clear(): MaybePromise<void>
}
