import { AuthError } from './errors'
import { memoryStorage } from './storage/memoryStorage'
import type { StoredTokens, TokenStorage } from './storage/TokenStorage'
import { within } from './timeout'
import type { SessionState } from './state'
import { toTokenSet, type Session } from './tokens'

export type Persistence = ReturnType<typeof createPersistence>

export const isThenable = (value: unknown): value is Promise<unknown> => typeof (value as Promise<unknown>)?.then === 'function'

const noop = () => undefined

/**
 * The client's record in its storage, bound to the auth server it came from (`server`) and stamped as the tabs
 * order news (`at`), so that an open tab's older session is not taken over it after a reload. Writes run in order, so
 * with an async storage the last state written is the last state the client had; every call is bounded by
 * `timeoutMs`, so a storage that never answers fails like one that throws. A failing storage does not take the
 * session down: it is replaced by memory, given `current()`, and `report` hears why.
 */
export function createPersistence(
  storage: TokenStorage,
  key: string,
  server: string,
  timeoutMs: number,
  current: () => Pick<SessionState, 'session' | 'news'>,
  report: (error: AuthError) => void,
) {
  let queue: Promise<unknown> | undefined
  let destroyed = false
  /** Storage calls still unanswered: each settles at its timeout, or at once on destroy(). */
  const pending = new Set<() => void>()

  const record = (session: Session): StoredTokens => ({ ...toTokenSet(session), server, at: current().news })
  const bounded = (result: unknown) =>
    within(Promise.resolve(result), timeoutMs, () => new AuthError('Storage did not answer', { code: 'storage' }), pending)

  function fallBack(cause: unknown) {
    // A destroyed client leaves the storage to whoever comes next (a new client on the same storage).
    if (destroyed) return
    // What the failing storage still holds may be a pair this client has since rotated: a reload or a new tab
    // would spend that refresh token again, which a rotating server takes for theft. Try to remove it.
    try {
      Promise.resolve(storage.clear(key)).catch(noop)
    } catch {
      // nothing more can be done with a storage that fails on every call
    }
    storage = memoryStorage()
    const { session } = current()
    if (session) storage.set(record(session), key)
    queueMicrotask(() => report(new AuthError('Storage failed: kept in memory', { code: 'storage', cause })))
  }

  /**
   * This client's record; null for none, or for another auth server's (two clients given one key), which is
   * neither adopted nor removed; false for anything else (corrupt or planted), to be removed.
   */
  function own(stored: unknown): StoredTokens | null | false {
    const bound = (stored as StoredTokens | null)?.server
    return stored == null ? null : bound === server ? (stored as StoredTokens) : typeof bound === 'string' ? null : false
  }

  /** A storage call: its answer (a promise for an async storage), or undefined once it failed and fell back. */
  function call(run: () => unknown) {
    try {
      const result = run()
      return isThenable(result) ? bounded(result).catch(fallBack) : result
    } catch (cause) {
      fallBack(cause)
    }
  }

  return {
    /** The stored record (or a promise of it), to be judged by `own`. */
    read: () => call(() => storage.get(key)),

    write(session: Session | null) {
      // Stamped now: a write queued behind a slow one still says when its session was made.
      const value = session && record(session)
      const write = () => call(() => (value ? storage.set(value, key) : storage.clear(key)))
      queue = queue ? queue.then(write) : (write() as Promise<unknown> | undefined)
    },

    /** Under the refresh lock, without a tab channel: what another tab stored, once this tab's writes are done. */
    async shared() {
      await queue
      try {
        return own(await bounded(storage.get(key))) || undefined
      } catch {
        // unreadable storage: refresh with what this tab has
      }
    },

    own,

    destroy() {
      destroyed = true
      pending.forEach((abort) => abort())
    },
  }
}
