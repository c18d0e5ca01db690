import type { TabMessage } from './state'
import { timeout, within } from './timeout'

export type Tabs = ReturnType<typeof createTabs>

/**
 * Coordination with the page's other tabs: a Web Lock so one tab refreshes at a time, and a BroadcastChannel
 * (opened at once, so a tab that only fetches still follows the others) that carries their logins, refreshes
 * and logouts to `heard`. What they mean, and whether they are news, is the session's to decide. Globals are
 * read when first needed, never at load. Without `navigator.locks` the engine's own single flight still holds
 * within the tab; without BroadcastChannel a tab learns what the others did from shared storage.
 *
 * @param name channel and lock name: one per auth server
 * @param lockTimeoutMs how long a tab waits for the refresh lock before it refreshes without it
 */
export function createTabs(name: string, enabled: boolean, lockTimeoutMs: number, heard: (message: TabMessage) => void) {
  let channel: BroadcastChannel | undefined
  if (enabled && typeof BroadcastChannel !== 'undefined') {
    channel = new BroadcastChannel(name)
    channel.onmessage = ({ data }: MessageEvent<TabMessage | undefined>) => {
      if (data && typeof data === 'object' && ('tokens' in data || 'ended' in data)) heard(data)
    }
  }

  return {
    publish: (message: TabMessage) => channel?.postMessage(message),

    /**
     * Resolves once every message other tabs posted before now has been delivered here: a probe posted from a
     * second channel of this tab comes back after them (or 100 ms pass). A tab that just got the lock calls it,
     * so the tokens the previous holder broadcast are adopted before this tab decides to spend its own refresh
     * token. Resolves false at once when there is no channel to flush.
     */
    flush(): Promise<boolean> {
      const listener = channel
      if (!listener) return Promise.resolve(false)
      const id = Math.random()
      const probe = new BroadcastChannel(name)
      let onProbe!: (event: MessageEvent) => void
      const done = () => {
        listener.removeEventListener('message', onProbe)
        probe.close()
        return true
      }
      const returned = new Promise<void>((resolve) => {
        onProbe = (event) => event.data?.probe === id && resolve()
        listener.addEventListener('message', onProbe)
        probe.postMessage({ probe: id })
      })
      return within(returned, 100).then(done, done)
    },

    /**
     * Runs `task` holding the refresh lock. A lock never waits forever: the browser frees the lock of a tab that
     * closes, and a tab that cannot get it in time goes ahead without it (a server's reuse grace window covers
     * that rare overlap) instead of leaving its requests waiting.
     */
    exclusive<T>(task: () => Promise<T>): Promise<T> {
      const locks = enabled ? globalThis.navigator?.locks : undefined
      if (!locks) return task()
      const [signal, done] = timeout(lockTimeoutMs)
      let granted = false
      return (locks as { request(name: string, options: LockOptions, task: () => Promise<T>): Promise<T> })
        .request(`${name}:refresh`, { signal }, () => {
          granted = true
          done()
          return task()
        })
        .catch((error: unknown) => {
          if (granted) throw error
          done()
          return task()
        })
    },

    close() {
      channel?.close()
      channel = undefined
    },
  }
}
