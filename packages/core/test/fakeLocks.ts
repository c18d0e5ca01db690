/**
 * A Web Locks manager shared by the "tabs" of one test: exclusive locks granted in request order, with
 * `signal` support, and a way to see who waits. Node has BroadcastChannel but no `navigator.locks`.
 */
export function fakeLocks() {
  const queues = new Map<string, (() => void)[]>()
  const held = new Set<string>()
  let requests = 0

  function release(name: string) {
    held.delete(name)
    const next = queues.get(name)?.shift()
    if (next) next()
  }

  return {
    get requests() {
      return requests
    },
    /** Holds `name` until the returned function is called, like a tab stuck inside the lock. */
    hold(name: string) {
      held.add(name)
      return () => release(name)
    },
    request<T>(name: string, options: { signal?: AbortSignal }, task: () => Promise<T>): Promise<T> {
      requests++
      return new Promise<T>((resolve, reject) => {
        let granted = false
        const run = () => {
          granted = true
          held.add(name)
          Promise.resolve()
            .then(task)
            .then(resolve, reject)
            .finally(() => release(name))
        }
        if (!held.has(name)) return run()
        const queue = queues.get(name) ?? []
        queues.set(name, queue)
        queue.push(run)
        // As in the Web Locks spec, aborting after the grant does nothing.
        options.signal?.addEventListener('abort', () => {
          if (granted) return
          const at = queue.indexOf(run)
          if (at >= 0) queue.splice(at, 1)
          reject(new DOMException('The lock request is aborted', 'AbortError'))
        })
      })
    },
  }
}
