export interface ShiftedClock {
  /** Moves the clock forward by `seconds` (never back) and returns the new time in ms. */
  advance(seconds: number): number
  /** The moved clock, in ms since the epoch. */
  now(): number
  /** How far ahead of the real clock it is, in ms. */
  offsetMs(): number
}
export function installShiftedDate(): ShiftedClock
