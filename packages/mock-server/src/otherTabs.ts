// msw in a browser runs the mock server inside each page: two tabs are two servers, with two signing keys and
// two sets of sessions. A login in one tab reaches the other over tokenrail's BroadcastChannel, the other tab's
// server knows nothing of it, refuses the token and then the refresh, and both tabs end up logged out. Nothing
// in msw says so; this does, the moment a second tab starts its own mock server.

const CHANNEL = 'tokenrail-mock-worker'

export const OTHER_TAB_WARNING =
  '[tokenrail mock] Another tab of this site runs its own mock auth server: msw runs the handlers inside each ' +
  'page, so every tab has its own server, keys and sessions. A login in one tab followed by a request in another ' +
  'logs both out. For several tabs, run the real server (npx tokenrail-mock-server, see @tokenrail/mock-server).'

type Message = { type: 'hello' | 'here'; id: string }

/**
 * Calls `onOtherTab` once, when another page of this origin runs a mock server too (started before or after this
 * one). Returns a stop function. Does nothing where there is no BroadcastChannel.
 */
export function watchOtherTabs(onOtherTab: () => void): () => void {
  if (typeof BroadcastChannel === 'undefined') return () => undefined
  const id = Math.random().toString(36).slice(2)
  const channel = new BroadcastChannel(CHANNEL)
  let told = false
  channel.onmessage = ({ data }: MessageEvent<Message>) => {
    if (data?.id === id || (data?.type !== 'hello' && data?.type !== 'here')) return
    // A newcomer says hello; whoever is already there answers, so both sides learn of each other.
    if (data.type === 'hello') channel.postMessage({ type: 'here', id } satisfies Message)
    if (told) return
    told = true
    onOtherTab()
  }
  channel.postMessage({ type: 'hello', id } satisfies Message)
  return () => channel.close()
}
