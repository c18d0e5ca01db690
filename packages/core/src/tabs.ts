import type { TabMessage } from './state'
import { timeout, within } from './timeout'

export type Tabs = ReturnType<typeof createTabs>

/** Tokens another tab holds or made, and when (its newest stamp): what a tab that joins chooses from. */
type Heard = TabMessage & { tokens: object; at?: unknown }

// How long a tab that starts with no session waits for the open tabs: they answer within a turn of their loop.
const JOIN_MS = 50

/**
 * Coordination with the page's other tabs: a Web Lock so one tab refreshes at a time, and a BroadcastChannel
 * (opened at once, so a tab that only fetches still follows the others) that carries their logins, refreshes
 * and logouts to `heard`. What they mean, and whether they are news, is the session's to decide. Globals are
 * read when first needed, never at load. Without `navigator.locks` the engine's own single flight still holds
 * within the tab; without BroadcastChannel a tab learns what the others did from shared storage.
 *
 * @param name channel and lock name: one per auth server
 * @param lockTimeoutMs how long a tab waits for the refresh lock before it refreshes without it
 * @param held what this tab answers a tab that joins: its live session's tokens, stamped, or nothing
 */
export function createTabs(
  name: string,
  enabled: boolean,
  lockTimeoutMs: number,
  heard: (message: TabMessage) => void,
  held: () => TabMessage | undefined,
) {
  let channel: BroadcastChannel | undefined
  /** While this tab joins: the tokens heard so far, answers and other tabs' news alike. */
  let joining: Heard[] | undefined
  /** Ends a join still waiting (close()): no channel or timer outlives the client. */
  let endJoin: (() => void) | undefined
  if (enabled && typeof BroadcastChannel !== 'undefined') {
    channel = new BroadcastChannel(name)
    channel.onmessage = ({ data }: MessageEvent<(TabMessage & { join?: unknown }) | undefined>) => {
      if (!data || typeof data !== 'object') return
      // A tab that joins asks on the channel and hears the answer on a channel of its own, named in the question.
      const answer = typeof data.join === 'string' && held()
      if (answer) answerOn(`${name}:${data.join}`, answer)
      if ('tokens' in data || 'ended' in data) {
        if ('tokens' in data) joining?.push(data)
        heard(data)
      }
    }
  }

  return {
    publish: (message: TabMessage) => channel?.postMessage(message),

    /**
     * Asks the open tabs for their session, for a tab that starts without one. Resolves at the first answer, or
     * after JOIN_MS, with `take`: the newest of the answers and of the tokens other tabs announce meanwhile (a
     * refresh landing as this tab asks), collected until `take` is called, so that news heard while storage is
     * still read is not lost. A tab holding no session answers nothing; without a channel there is nobody to ask.
     */
    join(): Promise<() => Heard | undefined> | undefined {
      if (!channel) return
      const id = String(Math.random()).slice(2)
      const reply = new BroadcastChannel(`${name}:${id}`)
      const heardSoFar: Heard[] = (joining = [])
      const answered = new Promise<void>((resolve) => {
        reply.onmessage = ({ data }) => data && typeof data === 'object' && 'tokens' in data && (heardSoFar.push(data), resolve())
        endJoin = () => (reply.close(), resolve())
      })
      channel.postMessage({ join: id })
      // News announced on the channel (it says whether it is a login) is as new as an answer of the same moment.
      const newer = (each: Heard, best?: Heard) => !best || Number(each.at) > Number(best.at) || (each.at === best.at && 'login' in each)
      const take = () => {
        reply.close()
        joining = endJoin = undefined
        return heardSoFar.reduce<Heard | undefined>((best, each) => (newer(each, best) ? each : best), undefined)
      }
      return within(answered, JOIN_MS).then(() => take, () => take)
    },

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
      endJoin?.()
      channel?.close()
      channel = undefined
    },
  }
}

/** Posts `answer` on a channel of its own, then lets it go: only the tab that asked listens there. */
function answerOn(name: string, answer: TabMessage) {
  const reply = new BroadcastChannel(name)
  reply.postMessage(answer)
  reply.close()
}
