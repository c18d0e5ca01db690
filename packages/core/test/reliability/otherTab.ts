import type { TokenSet } from '../../src'
import { API, type FakeAuthServer } from './fakeAuthServer'
import type { createFakeTabs } from './fakeTabs'
import { STORAGE_KEY, type breakableStorage } from './breakableStorage'

// The client's channel and lock are named after its auth server: baseURL's origin and path, ending in /.
export const CHANNEL = `tokenrail:${API}/`
export const LOCK = `${CHANNEL}:refresh`

export type OtherTabAction = 'refresh' | 'login' | 'logout' | 'junk' | 'lock' | 'unlock' | 'join'

export interface OtherTabContext {
  server: FakeAuthServer
  tabs: ReturnType<typeof createFakeTabs>
  storage: ReturnType<typeof breakableStorage>
  /** The machine's clock, which every tab shares. */
  now(): number
  /** Hears what the client answered this tab's question for its session, as it answered it. */
  answered(tokens: TokenSet): void
}

/**
 * Another tab of the same app, as the client under test sees it: it shares the server, the localStorage and
 * the clock, hears this tab's messages at once, and posts its own (stamped, as tokenrail's are) to the queue
 * the test delivers from. It
 * refreshes under the refresh lock, and can hold that lock as a tab stuck inside it would.
 */
export function createOtherTab({ server, tabs, storage, now, answered }: OtherTabContext) {
  let tokens: TokenSet | null = null
  let releaseLock: (() => void) | undefined
  const channel = tabs.otherTab(CHANNEL, (data) => {
    const message = data as { tokens?: TokenSet; ended?: string; join?: string } | null
    if (message?.tokens) tokens = message.tokens
    if (message?.ended) tokens = null
    // A tab that joins asks for the session: a tab holding one answers on the channel the question names.
    if (typeof message?.join === 'string' && tokens) {
      const reply = new tabs.BroadcastChannel(`${CHANNEL}:${message.join}`)
      reply.postMessage({ tokens, at: now() })
      reply.close()
    }
  })

  const toTokenSet = (pair: { accessToken: string; refreshToken: string; expiresIn: number }): TokenSet => ({
    accessToken: pair.accessToken,
    refreshToken: pair.refreshToken,
    expiresAt: now() + pair.expiresIn * 1000,
  })

  function keep(next: TokenSet | null) {
    tokens = next
    if (storage.isBroken()) return
    if (next) storage.area.setItem(STORAGE_KEY, JSON.stringify({ v: 2, server: `${API}/`, ...next }))
    else storage.area.removeItem(STORAGE_KEY)
  }

  return {
    toTokenSet,
    act(what: OtherTabAction) {
      switch (what) {
        case 'login':
          keep(toTokenSet(server.newSession()))
          return channel.postMessage({ tokens, login: true, at: now() })
        case 'refresh': {
          if (!tokens?.refreshToken || (tabs.locks.isHeld(LOCK) && !releaseLock)) return
          const rotated = server.rotate(tokens.refreshToken)
          keep(rotated.tokens ? toTokenSet(rotated.tokens) : null)
          return channel.postMessage(tokens ? { tokens, login: false, at: now() } : { ended: 'expired', at: now() })
        }
        case 'logout':
          server.revoke(tokens?.refreshToken)
          keep(null)
          return channel.postMessage({ ended: 'logout', at: now() })
        case 'junk':
          channel.postMessage({ tokens: { accessToken: 'not a token', refreshToken: 42 } })
          channel.postMessage({ tokens: 'x' })
          return channel.postMessage(42)
        case 'lock':
          releaseLock ??= tabs.locks.hold(LOCK)
          return
        case 'unlock':
          this.unlock()
          return
        case 'join': {
          // This tab reloads with nothing stored for it, and asks the client under test for the session.
          tokens = null
          const id = `join-${Math.random()}`.replace('.', '')
          const reply = tabs.otherTab(`${CHANNEL}:${id}`, (data) => {
            const answer = (data as { tokens?: TokenSet } | null)?.tokens
            if (answer) answered((tokens = answer))
            reply.close()
          })
          return channel.postMessage({ join: id })
        }
      }
    },
    unlock() {
      releaseLock?.()
      releaseLock = undefined
    },
  }
}
