import type { AuthClient } from '@tokenrail/react'
import type { Timeline } from './createTimeline'

/**
 * Puts into the timeline what the client did that no request of this page shows: tokens that came from another
 * tab, logouts, an ended session, errors. Listens from the moment the client exists, before anything renders.
 */
export function noteClientEvents(timeline: Timeline, client: AuthClient): () => void {
  const fromAnotherTab = () => !timeline.issuedHere(client.getState().accessToken)
  const offs = [
    client.on('login', () => fromAnotherTab() && timeline.note('Logged in in another tab: its tokens came over BroadcastChannel')),
    client.on('refresh', () => fromAnotherTab() && timeline.note('New tokens from another tab’s refresh: no request of its own')),
    client.on('logout', () => timeline.note('Logged out (here or in another tab): tokens cleared')),
    client.on('sessionExpired', () => timeline.note('Session ended: the server refused the refresh token')),
    client.on('error', (error) => timeline.note(`Error: ${error.message}`)),
  ]
  return () => offs.forEach((off) => off())
}
