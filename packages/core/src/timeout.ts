/**
 * `wait`, unless `signal` aborts first: then at once `reason()`, by default the signal's reason. The listener
 * goes when `wait` settles, which it always does.
 */
export function unlessAborted<T>(wait: Promise<T>, signal?: AbortSignal | null, reason = () => signal!.reason): Promise<T> {
  if (!signal) return wait
  return new Promise((resolve, reject) => {
    const abort = () => reject(reason())
    signal.addEventListener('abort', abort)
    if (signal.aborted) abort()
    wait.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort))
  })
}

/**
 * The one timeout: a signal that aborts after `ms`, `done` to clear its timer, and `abort` to end it early.
 * `setTimeout` is read at call time, so fake timers drive it.
 */
export function timeout(ms: number): [signal: AbortSignal, done: () => void, abort: () => void] {
  const controller = new AbortController()
  const done = () => clearTimeout(timer)
  const abort = () => (done(), controller.abort())
  const timer = setTimeout(abort, ms)
  return [controller.signal, done, abort]
}

/**
 * `wait`, or after `ms` a rejection with `reason()`. While it waits, its `abort` is in `pending`, for a caller
 * that must settle every wait at once (`destroy()`).
 */
export function within<T>(wait: Promise<T>, ms: number, reason?: () => unknown, pending?: Set<() => void>): Promise<T> {
  const [signal, done, abort] = timeout(ms)
  pending?.add(abort)
  return unlessAborted(wait, signal, reason).finally(() => (done(), pending?.delete(abort)))
}
