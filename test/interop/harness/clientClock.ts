import { installShiftedDate } from '../servers/shiftedDate.mjs'

/**
 * The clients' clock: this test process's `Date`, moved forward by the steps (never back) without any wait. Every
 * library under test reads the time through `Date.now()` or `new Date()`, so moving it moves theirs; a library with
 * a clock option can be given `clientClock.now` as well.
 */
export const clientClock = installShiftedDate()
