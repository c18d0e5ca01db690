/**
 * Time travel for the "client knows the token expired" scenarios: `Date.now` shifted by an offset, so the
 * fake server and every library (tokenrail reads `Date.now` by default, axios-jwt reads it directly) see the
 * same minutes pass without anyone waiting. Timers are untouched: the refresh still takes its real 20 ms.
 */
export function shiftedClock() {
  const realNow = Date.now
  let offsetMs = 0
  Date.now = () => realNow() + offsetMs
  return {
    advance(seconds: number) {
      offsetMs += seconds * 1000
    },
    /** Puts the real `Date.now` back; clients created meanwhile keep reading the shifted one. */
    restore() {
      Date.now = realNow
    },
  }
}
