import type { TokenSet } from './tokens'

/** What one tab tells the others: its new tokens (`login`: they start a new session), or that its session ended. */
export type TabMessage = { tokens: TokenSet; login?: boolean } | { ended: 'logout' | 'expired' }
/** A message on the channel carries when its sender made it, so a receiver can tell old news from new. */
type Stamped = TabMessage & { at?: unknown; tie?: unknown }

export interface TabsContext {
  enabled: boolean
  /** Channel and lock name: one per auth server origin. */
  name: string
  /** How long a tab waits for the refresh lock before it refreshes without it. */
  lockTimeoutMs: number
  now(): number
  /** Another tab's news, and when that tab made it (on its clock, the same as ours in one browser). */
  received(message: TabMessage, at: number): void
}

/**
 * Coordination with the page's other tabs: a Web Lock so one tab refreshes at a time, and a BroadcastChannel
 * so every tab follows the others' logins, refreshes and logouts. Globals are read when first needed, never
 * at load. Without `navigator.locks` the engine's own single flight still holds within the tab; without
 * BroadcastChannel a tab learns what the others did from shared storage, which it re-reads under the lock.
 */
export function createTabs(context: TabsContext) {
  let channel: BroadcastChannel | undefined
  let closed = false
  // When this tab's current news was made (its own, or the newest it heard): anything older that is still
  // on its way (a busy tab, a slow channel) must not put back tokens whose refresh token is already spent.
  let latest = 0
  // When the current session began or the last one ended: only a newer login undoes a logout, and a logout
  // ends the session whatever refresh news of it came after.
  let sessionAt = 0
  // Breaks a tie between two such boundaries made in the same millisecond, the same way in every tab.
  let sessionTie = 0

  /** Stamps ahead of this tab's clock mean the clock was set back: they can order nothing any more. */
  function forgetFuture() {
    if (Math.max(latest, sessionAt) > context.now()) latest = sessionAt = 0
  }

  /** Takes the time of news made here or heard; false for news older than what this tab already knows. */
  function isNew(message: TabMessage, at: number, tie: number) {
    const boundary = 'ended' in message || message.login
    if (at < (boundary ? sessionAt : latest) || (boundary && at === sessionAt && tie <= sessionTie)) return false
    latest = Math.max(latest, at)
    if (boundary) [sessionAt, sessionTie] = [at, tie]
    return true
  }

  function open() {
    // Once closed, a late refresh answer or login publishing its tokens does not open the channel again.
    if (channel || closed || !context.enabled || typeof BroadcastChannel === 'undefined') return
    channel = new BroadcastChannel(context.name)
    channel.onmessage = ({ data }: MessageEvent<Stamped | undefined>) => {
      if (!data || typeof data !== 'object' || !('tokens' in data || 'ended' in data)) return
      forgetFuture()
      if (typeof data.at !== 'number') context.received(data, context.now())
      else if (isNew(data, data.at, Number(data.tie) || 0)) context.received(data, data.at)
    }
  }

  /**
   * Resolves once every message other tabs posted before now has been delivered here: a probe posted from a
   * second channel of this tab comes back after them. A tab that just got the lock calls it, so the tokens
   * the previous holder broadcast are adopted before this tab decides to spend its own refresh token.
   * Resolves false at once when there is no channel to flush.
   */
  function flush(): Promise<boolean> {
    const listener = channel
    if (!listener) return Promise.resolve(false)
    return new Promise((resolve) => {
      const id = Math.random()
      const probe = new BroadcastChannel(context.name)
      const done = () => {
        clearTimeout(timer)
        listener.removeEventListener('message', onProbe)
        probe.close()
        resolve(true)
      }
      const onProbe = (event: MessageEvent) => event.data?.probe === id && done()
      const timer = setTimeout(done, 100)
      listener.addEventListener('message', onProbe)
      probe.postMessage({ probe: id })
    })
  }

  return {
    open,
    flush,

    publish(message: TabMessage) {
      open()
      forgetFuture()
      const at = Math.max(latest, context.now())
      const tie = Math.random()
      isNew(message, at, tie)
      channel?.postMessage({ ...message, at, tie })
    },

    /**
     * Runs `task` holding the refresh lock. A lock never waits forever: the browser frees the lock of a tab that
     * closes, and a tab that cannot get it in time goes ahead without it (a server's reuse grace window covers
     * that rare overlap) instead of leaving its requests waiting.
     */
    exclusive<T>(task: () => Promise<T>): Promise<T> {
      const locks = context.enabled ? globalThis.navigator?.locks : undefined
      if (!locks) return task()
      const controller = new AbortController()
      const timer = setTimeout(() => controller.abort(), context.lockTimeoutMs)
      let granted = false
      return (locks as { request(name: string, options: LockOptions, task: () => Promise<T>): Promise<T> })
        .request(`${context.name}:refresh`, { signal: controller.signal }, () => {
          granted = true
          clearTimeout(timer)
          return task()
        })
        .catch((error: unknown) => {
          if (granted) throw error
          clearTimeout(timer)
          return task()
        })
    },

    close() {
      closed = true
      channel?.close()
      channel = undefined
    },
  }
}
