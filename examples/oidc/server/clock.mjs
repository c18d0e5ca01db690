// `node --import ./server/clock.mjs server/main.mjs`: the process clock is movable before oidc-provider or jose
// reads it. `Date.now()`, `new Date()` and `Date()` read the real clock plus an offset that only grows, so
// tokens expire when a test (or you) says so, without waiting. Moved through main.mjs's `advance` command.
const RealDate = globalThis.Date
let offset = 0
const now = () => RealDate.now() + offset

globalThis.Date = new Proxy(RealDate, {
  construct: (target, args, newTarget) => Reflect.construct(target, args.length ? args : [now()], newTarget),
  apply: () => new RealDate(now()).toString(),
  get: (target, property, receiver) => (property === 'now' ? now : Reflect.get(target, property, receiver)),
})

globalThis[Symbol.for('tokenrail.example.clock')] = {
  /** Moves the clock forward by `seconds` and returns the new time in ms. */
  advance(seconds) {
    if (!(Number.isFinite(seconds) && seconds >= 0)) throw new RangeError(`the clock only moves forward, got ${seconds}`)
    offset += seconds * 1000
    return now()
  },
  now,
}
