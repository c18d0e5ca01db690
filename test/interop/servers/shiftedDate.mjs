// A process clock that can be moved forward without waiting: `Date.now()`, `new Date()` and `Date()` read the real
// clock plus an offset. Installed by `clock.mjs` (`node --import`) before any server code loads, so libraries that
// read the time at call time (oidc-provider, jose, jsonwebtoken) all see the same moved clock. Used in the test
// process too, as the clients' clock.
const CONTROL = Symbol.for('tokenrail.interop.clock')

/**
 * @returns {{ advance(seconds: number): number, now(): number, offsetMs(): number }}
 */
export function installShiftedDate() {
  const existing = globalThis[CONTROL]
  if (existing) return existing
  const RealDate = globalThis.Date
  const realNow = RealDate.now.bind(RealDate)
  let offset = 0
  const now = () => realNow() + offset
  const ShiftedDate = new Proxy(RealDate, {
    construct: (target, args, newTarget) => Reflect.construct(target, args.length ? args : [now()], newTarget),
    apply: () => new RealDate(now()).toString(),
    get: (target, property, receiver) => (property === 'now' ? now : Reflect.get(target, property, receiver)),
  })
  globalThis.Date = ShiftedDate
  const control = {
    advance(seconds) {
      if (!(Number.isFinite(seconds) && seconds >= 0)) throw new RangeError(`clock can only move forward, got ${seconds}`)
      offset += seconds * 1000
      return now()
    },
    now,
    offsetMs: () => offset,
  }
  globalThis[CONTROL] = control
  return control
}
