import { describe, expect, it } from 'vitest'
import { AuthError, NetworkError, SessionExpiredError } from '../src/errors'
import { transition } from '../src/session'
import { backedOff, dueAt, initialState, snapshot, type Effects, type SessionEvent, type SessionState } from '../src/state'
import type { Session } from '../src/tokens'

// The session's rules as a table: a state, an event at a moment (now 2000, random 0.25), the next state and the
// effects. No msw, no client, no timers: each race the engine and the tabs ever lost is a row.

const NOW = 2000
const RANDOM = 0.25
const session = (name: string, extra: Partial<Session> = {}): Session => ({
  accessToken: name,
  refreshToken: `refresh-${name}`,
  expiresAt: 300_000,
  staleAt: 270_000,
  user: null,
  ...extra,
})
const S1 = session('s1')
const S2 = session('s2')
const S3 = session('s3')
const tokensOf = ({ accessToken, refreshToken, expiresAt }: Session) => ({ accessToken, refreshToken, expiresAt })

const reading = initialState(false)
const cookieReading = initialState(true)
/** A session begun by a login stamped at 1000 (tie 0.5), the newest news this tab knows. */
const active: SessionState = { ...reading, phase: 'active', session: S1, epoch: 1, at: 1000, tie: 0.5, news: 1000 }
const ended: SessionState = { ...reading, phase: 'ended' }
const network = new NetworkError('POST https://api.example.com/auth/refresh failed (network)')
const refused = new SessionExpiredError('POST https://api.example.com/auth/refresh answered 400', { status: 400 })
const loggedOutHere = expect.objectContaining({ name: 'SessionExpiredError', code: 'logged_out' })

type Row = [name: string, state: SessionState, event: SessionEvent, next: Partial<SessionState> | 'same', effects: Effects]

const table: Row[] = [
  // Storage read at start: nothing is written back; a logout, login or another tab meanwhile wins.
  ['storage holding a session: active, nothing written', reading, { type: 'read', session: S1 }, { phase: 'active', session: S1, epoch: 0 }, {}],
  ['storage holding nothing: ended', reading, { type: 'read' }, { phase: 'ended', session: null }, {}],
  ['storage holding something corrupt or planted: ended, and it is removed', reading, { type: 'read', corrupt: true }, { phase: 'ended' }, { persist: null }],
  ['cookie mode, nothing stored: the cookie is asked', cookieReading, { type: 'read' }, { phase: 'restoring' }, { restore: true }],
  ['cookie mode, an access token stored: active without asking', cookieReading, { type: 'read', session: S1 }, { phase: 'active', session: S1 }, {}],
  // Nothing stored, and an open tab answered (memory storage that feels persistent): its session goes on here.
  [
    'nothing stored, an open tab holding a session: active with it, no event, kept here, ordered after its stamp',
    reading,
    { type: 'read', session: S1, at: 1500, joined: true },
    { phase: 'active', session: S1, epoch: 0, news: 1500, at: 1500 },
    { persist: S1 },
  ],
  [
    'nothing stored, an open tab answering over something corrupt: its session replaces what is removed',
    reading,
    { type: 'read', session: S1, corrupt: true, at: 1500, joined: true },
    { phase: 'active', session: S1 },
    { persist: S1 },
  ],
  ['cookie mode, an open tab holding a session: active with it, and no restore refresh', cookieReading, { type: 'read', session: S1, at: 1500, joined: true }, { phase: 'active', session: S1 }, { persist: S1 }],
  ['nobody answering: a session of nobody’s, as with nothing stored', reading, { type: 'read', joined: true }, { phase: 'ended', session: null, news: 0 }, {}],
  ['storage holding a session with its stamp: ordered after it, nothing written', reading, { type: 'read', session: S1, at: 1500 }, { phase: 'active', session: S1, news: 1500, at: 1500 }, {}],
  ['a stamp ahead of this clock (set back since): ordering nothing', reading, { type: 'read', session: S1, at: 9e15 }, { phase: 'active', session: S1, news: 0, at: 0 }, {}],
  [
    'a logout before storage answered: ended now, and what storage holds is revoked once read',
    reading,
    { type: 'logout' },
    { phase: 'ended', epoch: 1, logout: [1, Infinity], revokeStored: true, ended: loggedOutHere },
    { persist: null, publish: { ended: 'logout', at: NOW, tie: RANDOM } },
  ],
  [
    'storage answering after that logout: its session is revoked on the server, and logout is told',
    { ...ended, epoch: 1, revokeStored: true },
    { type: 'read', session: S1 },
    'same',
    { revoke: S1, emit: 'logout' },
  ],
  [
    'storage answering after that logout and a new login: revoked, but the new session stays (no logout told)',
    { ...active, revokeStored: true },
    { type: 'read', session: S2 },
    'same',
    { revoke: S2 },
  ],
  ['storage answering after a login made meanwhile: the login stands', active, { type: 'read', session: S2 }, 'same', {}],
  ['storage answering after another tab logged out: nothing to revoke here', { ...ended, epoch: 1 }, { type: 'read', session: S1 }, 'same', {}],
  ['a cookie-mode client destroyed while storage was read: nothing is restored', { ...cookieReading, phase: 'destroyed' }, { type: 'read' }, 'same', {}],
  ['destroy: the phase is final, and everything stops', reading, { type: 'destroy' }, { phase: 'destroyed' }, { stop: true }],

  // Logins: stamped when answered; a logout after login() was called wins, here or in another tab.
  [
    'a login: a new epoch, stored, told to the tabs and the listeners',
    ended,
    { type: 'login', session: S1, since: [0, 1500] },
    { phase: 'active', session: S1, epoch: 1, at: NOW, tie: RANDOM, news: NOW },
    { persist: S1, publish: { tokens: tokensOf(S1), login: true, at: NOW, tie: RANDOM }, emit: 'login' },
  ],
  [
    'a login answered after a logout made here: dropped, and its session revoked',
    { ...ended, epoch: 2, logout: [2, Infinity] },
    { type: 'login', session: S2, since: [1, 1500] },
    'same',
    { revoke: S2 },
  ],
  [
    "a login answered after another tab's logout made after login() was called: dropped",
    { ...ended, epoch: 2, logout: [2, 1800] },
    { type: 'login', session: S2, since: [1, 1500] },
    'same',
    { revoke: S2 },
  ],
  [
    "another tab's logout made before login() was called, heard while it is on the wire: the login stands",
    { ...ended, epoch: 2, logout: [2, 1400] },
    { type: 'login', session: S2, since: [1, 1500] },
    { phase: 'active', session: S2, epoch: 3 },
    { persist: S2, publish: { tokens: tokensOf(S2), login: true, at: NOW, tie: RANDOM }, emit: 'login' },
  ],
  [
    'a logout stamped ahead of the clock, heard before login() was called (the clock set back since): the login stands',
    { ...ended, epoch: 1, logout: [1, 99_999] },
    { type: 'login', session: S2, since: [1, 1500] },
    { phase: 'active', session: S2, epoch: 2 },
    { persist: S2, publish: { tokens: tokensOf(S2), login: true, at: NOW, tie: RANDOM }, emit: 'login' },
  ],
  [
    'a login whose answer was malformed, after a logout: dropped quietly, nothing to revoke',
    { ...ended, epoch: 2, logout: [2, Infinity] },
    { type: 'login', since: [1, 1500] },
    'same',
    {},
  ],
  [
    'setTokens after a logout: a new session (setTokens is not on the wire)',
    { ...ended, epoch: 2, logout: [2, Infinity] },
    { type: 'login', session: S2 },
    { phase: 'active', session: S2, epoch: 3 },
    { persist: S2, publish: { tokens: tokensOf(S2), login: true, at: NOW, tie: RANDOM }, emit: 'login' },
  ],
  [
    'a login in the millisecond of the epoch it follows: after it in the tie-break too, in every tab',
    { ...active, at: NOW, tie: 0.9, news: NOW },
    { type: 'login', session: S2 },
    { epoch: 2, at: NOW, tie: 0.9 + RANDOM },
    { persist: S2, publish: { tokens: tokensOf(S2), login: true, at: NOW, tie: 0.9 + RANDOM }, emit: 'login' },
  ],
  [
    'a clock set back: stamps ahead of it are forgotten, and news made now is stamped with the clock now',
    { ...active, at: 90_000, news: 99_000 },
    { type: 'logout' },
    { at: NOW, news: NOW },
    { persist: null, publish: { ended: 'logout', at: NOW, tie: RANDOM }, emit: 'logout', revoke: S1 },
  ],

  // Refreshes: kept only in the epoch they began in; a stale answer's session is ended on the server.
  [
    'a refresh answered: the session goes on, the tokens it replaced stay known, the backoff goes',
    { ...active, failure: { error: network, until: 1500, window: 1000 } },
    { type: 'refreshed', session: S2, epoch: 1 },
    { session: { ...S2, earlier: ['s1'] }, epoch: 1, news: NOW, failure: undefined },
    { persist: { ...S2, earlier: ['s1'] }, publish: { tokens: tokensOf(S2), login: false, at: NOW, tie: RANDOM }, emit: 'refresh' },
  ],
  [
    'a session remembers the last 8 tokens its refreshes replaced',
    { ...active, session: { ...S1, earlier: ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] } },
    { type: 'refreshed', session: S2, epoch: 1 },
    { session: { ...S2, earlier: ['s1', 'a', 'b', 'c', 'd', 'e', 'f', 'g'] } },
    { persist: { ...S2, earlier: ['s1', 'a', 'b', 'c', 'd', 'e', 'f', 'g'] }, publish: { tokens: tokensOf(S2), login: false, at: NOW, tie: RANDOM }, emit: 'refresh' },
  ],
  ['a refresh answered after a logout: discarded, and revoked on the server', { ...ended, epoch: 2, logout: [2, Infinity] }, { type: 'refreshed', session: S2, epoch: 1 }, 'same', { revoke: S2 }],
  ["a refresh answered after another tab's login: discarded, the new session kept", { ...active, session: S3, epoch: 2 }, { type: 'refreshed', session: S2, epoch: 1 }, 'same', {}],
  [
    'a refresh answered after a logout and a new login: discarded, and still revoked on the server',
    { ...active, session: S3, epoch: 3, logout: [2, Infinity] },
    { type: 'refreshed', session: S2, epoch: 1 },
    'same',
    { revoke: S2 },
  ],
  [
    'the same in cookie mode: not revoked, which would clear the new login’s cookie',
    { ...active, cookie: true, session: S3, epoch: 3, logout: [2, Infinity] },
    { type: 'refreshed', session: S2, epoch: 1 },
    'same',
    {},
  ],
  [
    'cookie mode: the restore found a session',
    { ...cookieReading, phase: 'restoring' },
    { type: 'refreshed', session: S1, epoch: 0 },
    { phase: 'active', session: S1 },
    { persist: S1, publish: { tokens: tokensOf(S1), login: false, at: NOW, tie: RANDOM }, emit: 'refresh' },
  ],
  [
    'a refresh answered after destroy(): still stored for the next client; the phase stays',
    { ...active, phase: 'destroyed' },
    { type: 'refreshed', session: S2, epoch: 1 },
    { phase: 'destroyed', session: { ...S2, earlier: ['s1'] } },
    { persist: { ...S2, earlier: ['s1'] }, publish: { tokens: tokensOf(S2), login: false, at: NOW, tie: RANDOM }, emit: 'refresh' },
  ],

  // Failures: a backoff window that doubles; a refusal ends the session once; a stale failure says nothing.
  ['a refresh that failed: tokens kept, 1 s of backoff, an error told', active, { type: 'failed', error: network, epoch: 1 }, { session: S1, failure: { error: network, until: NOW + 1000, window: 1000 } }, { emit: 'error' }],
  [
    'failing again: the window doubles',
    { ...active, failure: { error: network, until: 1500, window: 1000 } },
    { type: 'failed', error: network, epoch: 1 },
    { failure: { error: network, until: NOW + 2000, window: 2000 } },
    { emit: 'error' },
  ],
  [
    'the window stops doubling at 60 s',
    { ...active, failure: { error: network, until: 1500, window: 60_000 } },
    { type: 'failed', error: network, epoch: 1 },
    { failure: { error: network, until: NOW + 60_000, window: 60_000 } },
    { emit: 'error' },
  ],
  ['a failure of a refresh of an ended session: discarded like its success would be', { ...active, epoch: 2 }, { type: 'failed', error: network, epoch: 1 }, 'same', {}],
  [
    'a refused refresh: the session ends once, in every tab',
    active,
    { type: 'failed', error: refused, epoch: 1 },
    { phase: 'ended', session: null, epoch: 2, ended: refused, at: NOW, tie: RANDOM },
    { persist: null, publish: { ended: 'expired', at: NOW, tie: RANDOM }, emit: 'sessionExpired' },
  ],
  ['a cookie restore that failed for the network: unknown, asked again after the backoff', { ...cookieReading, phase: 'restoring' }, { type: 'failed', error: network, epoch: 0 }, { phase: 'unknown', failure: { error: network, until: NOW + 1000, window: 1000 } }, { emit: 'error' }],
  [
    'asked again and failed again: still unknown, a longer window',
    { ...cookieReading, phase: 'unknown', failure: { error: network, until: 1000, window: 1000 } },
    { type: 'failed', error: network, epoch: 0 },
    { phase: 'unknown', failure: { error: network, until: NOW + 2000, window: 2000 } },
    { emit: 'error' },
  ],
  ['a cookie restore refused (no cookie): ended, and nothing had expired', { ...cookieReading, phase: 'restoring' }, { type: 'failed', error: refused, epoch: 0 }, { phase: 'ended', epoch: 0 }, {}],
  ['a refresh() by hand in cookie mode with no session, failed: still ended, not unknown', { ...ended, cookie: true }, { type: 'failed', error: network, epoch: 0 }, { phase: 'ended' }, { emit: 'error' }],

  // Logouts.
  [
    'a logout: ended at once, stored nothing, told to the tabs and listeners, revoked on the server',
    active,
    { type: 'logout' },
    { phase: 'ended', session: null, epoch: 2, logout: [2, Infinity], at: NOW, ended: loggedOutHere, revokeStored: false },
    { persist: null, publish: { ended: 'logout', at: NOW, tie: RANDOM }, emit: 'logout', revoke: S1 },
  ],
  ['cookie mode, no session known: the server still clears the cookie', { ...ended, cookie: true }, { type: 'logout' }, { epoch: 1 }, { persist: null, publish: { ended: 'logout', at: NOW, tie: RANDOM }, revoke: {} }],
  ['a logout after destroy(): the session ends, the phase stays', { ...active, phase: 'destroyed' }, { type: 'logout' }, { phase: 'destroyed', session: null }, { persist: null, publish: { ended: 'logout', at: NOW, tie: RANDOM }, emit: 'logout', revoke: S1 }],

  // Another tab's news: ordered by stamps, a logout by its epoch's own; late, crossed or malformed news is ignored.
  [
    "another tab's login: a new epoch here too, stored, not told again",
    active,
    { type: 'heard', message: { tokens: tokensOf(S2), login: true, at: 3000, tie: 0.1 }, session: S2 },
    { session: S2, epoch: 2, at: 3000, tie: 0.1, news: 3000 },
    { persist: S2, emit: 'login' },
  ],
  [
    'two logins in the same millisecond: the higher tie-break wins (this tab’s own, here)',
    active,
    { type: 'heard', message: { tokens: tokensOf(S2), login: true, at: 1000, tie: 0.4 }, session: S2 },
    'same',
    {},
  ],
  [
    'two logins in the same millisecond: the higher tie-break wins (the other tab’s)',
    active,
    { type: 'heard', message: { tokens: tokensOf(S2), login: true, at: 1000, tie: 0.6 }, session: S2 },
    { session: S2, epoch: 2, at: 1000, tie: 0.6 },
    { persist: S2, emit: 'login' },
  ],
  ['refresh news older than this tab’s newest: it cannot put back spent tokens', active, { type: 'heard', message: { tokens: tokensOf(S2), login: false, at: 500 }, session: S2 }, 'same', {}],
  ['a logout older than this epoch’s own stamp: old news', active, { type: 'heard', message: { ended: 'logout', at: 900 } }, 'same', {}],
  [
    'a logout crossed by this tab’s newer refresh news: it still ends the session',
    { ...active, news: 1500 },
    { type: 'heard', message: { ended: 'logout', at: 1200 } },
    { phase: 'ended', session: null, epoch: 2, logout: [2, 1200], at: 1200, news: 1500, ended: expect.objectContaining({ message: 'Logged out in another tab' }) },
    { persist: null, emit: 'logout' },
  ],
  ["another tab's session ending: sessionExpired here", active, { type: 'heard', message: { ended: 'expired', at: 1500 } }, { phase: 'ended', epoch: 2, logout: [0, -Infinity], ended: expect.objectContaining({ name: 'SessionExpiredError', code: 'session_expired' }) }, { persist: null, emit: 'sessionExpired' }],
  ["another tab's logout with no session here: nobody to tell", ended, { type: 'heard', message: { ended: 'logout', at: 1500 } }, { epoch: 1, logout: [1, 1500] }, { persist: null }],
  ["another tab's refresh starts nothing in a tab that ended that session", { ...ended, epoch: 2, at: 1000, news: 1000 }, { type: 'heard', message: { tokens: tokensOf(S2), login: false, at: 1500 }, session: S2 }, { phase: 'ended', session: null, news: 1500 }, {}],
  ['tokens this session has: nothing changes', active, { type: 'heard', message: { tokens: tokensOf(S1), at: 1500 }, session: S1 }, { news: 1500 }, {}],
  [
    'tokens this session has refreshed past (a message that came late): nothing changes',
    { ...active, session: { ...S2, earlier: ['s1'] } },
    { type: 'heard', message: { tokens: tokensOf(S1), login: true, at: 1500, tie: 0.9 }, session: S1 },
    { session: { ...S2, earlier: ['s1'] }, epoch: 1 },
    {},
  ],
  [
    "another tab's refresh: the session goes on here, its backoff gone",
    { ...active, failure: { error: network, until: 2500, window: 1000 } },
    { type: 'heard', message: { tokens: tokensOf(S2), login: false, at: 1500 }, session: S2 },
    { session: { ...S2, earlier: ['s1'] }, epoch: 1, news: 1500, failure: undefined },
    { persist: { ...S2, earlier: ['s1'] }, emit: 'refresh' },
  ],
  ['under the lock without a channel, what another tab stored (unstamped): taken as a refresh', active, { type: 'heard', message: { tokens: tokensOf(S2) }, session: S2 }, { session: { ...S2, earlier: ['s1'] }, news: 1000 }, { persist: { ...S2, earlier: ['s1'] }, emit: 'refresh' }],
  ['an unstamped message to a tab with no session: taken as a login', ended, { type: 'heard', message: { tokens: tokensOf(S2) }, session: S2 }, { session: S2, epoch: 1, at: 0 }, { persist: S2, emit: 'login' }],
  ['a malformed message: ignored, though its stamp is news', active, { type: 'heard', message: { tokens: { accessToken: 'has space' }, login: true, at: 1500, tie: 0.1 } }, { session: S1, epoch: 1, at: 1500, news: 1500 }, {}],
  [
    'a stamp ahead of a clock set back since: forgotten, so a login made after still reaches this tab',
    { ...ended, epoch: 2, at: 99_000, news: 99_000 },
    { type: 'heard', message: { tokens: tokensOf(S2), login: true, at: 1500, tie: 0.1 }, session: S2 },
    { session: S2, epoch: 3, at: 1500, news: 1500 },
    { persist: S2, emit: 'login' },
  ],
]

/** The state, frozen all through: a transition that changed what it was given would throw. */
const frozen = <T>(value: T): T => {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) Object.values(Object.freeze(value)).forEach(frozen)
  return value
}

describe('transition: every rule of the session, one row each', () => {
  it.each(table)('%s', (_, state, event, next, effects) => {
    const [after, asked] = transition(frozen(state), { ...event, now: NOW, random: RANDOM })
    if (next === 'same') expect(after).toEqual(state)
    else expect(after).toMatchObject(next)
    expect(asked).toEqual(effects)
  })

  it('covers at least 40 cases', () => expect(table.length).toBeGreaterThanOrEqual(40))
})

describe('what the session answers of itself', () => {
  const failure = { error: network, until: 3000, window: 1000 }

  it.each([
    ['inside the backoff window: the last failure at once', 2500, network],
    ['after it: none', 3000, undefined],
    ['a clock set back beyond the window (it can no longer be measured): none', 1000, undefined],
  ])('backedOff, %s', (_, now, expected) => {
    expect(backedOff({ ...active, failure }, now)).toBe(expected)
  })

  it.each<[string, SessionState, number]>([
    ['a session: at its stale time', active, 270_000],
    ['a session after a failure: not before the window ends', { ...active, session: session('x', { staleAt: 1000 }), failure }, 3000],
    ['cookie mode, unknown: when the window ends', { ...cookieReading, phase: 'unknown', failure }, 3000],
    ['no session: never', ended, Infinity],
  ])('dueAt, %s', (_, state, expected) => {
    expect(dueAt(state)).toBe(expected)
  })

  it.each<[SessionState, string]>([
    [reading, 'loading'],
    [{ ...cookieReading, phase: 'restoring' }, 'loading'],
    [{ ...cookieReading, phase: 'unknown' }, 'unauthenticated'],
    [active, 'authenticated'],
    [ended, 'unauthenticated'],
    [{ ...reading, phase: 'destroyed' }, 'unauthenticated'],
  ])('snapshot of %o is %s', (state, status) => {
    expect(snapshot(state)).toMatchObject({ status, accessToken: state.session?.accessToken ?? null })
  })

  it('the first state: reading storage, not logged in', () => {
    expect(initialState(false)).toMatchObject({ phase: 'reading', session: null, epoch: 0, ended: loggedOutHere })
    expect(initialState(false).ended).toBeInstanceOf(AuthError)
  })
})
