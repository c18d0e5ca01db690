// setTimeout cannot wait longer than this; a longer wait is taken in steps.
export const MAX_DELAY = 2 ** 31 - 1

/**
 * The proactive refresh timer. A timer only says "look now": whether a refresh is due is decided by comparing
 * clock times, because timers fire late after the machine sleeps. A hidden page does not refresh; it catches
 * up when it becomes visible. The visibility listener exists only while a refresh is scheduled.
 *
 * @param dueAt when the next proactive refresh is due (client clock); Infinity for never
 */
export function createScheduler(enabled: boolean, now: () => number, dueAt: () => number, run: () => Promise<unknown>) {
  let timer: ReturnType<typeof setTimeout> | undefined
  let listening = false
  let stopped = false

  function listen(on: boolean) {
    if (on === listening) return
    listening = on
    globalThis.document?.[on ? 'addEventListener' : 'removeEventListener']('visibilitychange', check)
  }

  function check() {
    if (globalThis.document?.visibilityState === 'hidden') return
    // A refresh that fails reschedules itself (its backoff moves the due time); this only keeps it handled.
    if (now() >= dueAt()) run().catch(update)
    else update()
  }

  function update() {
    clearTimeout(timer)
    const due = dueAt()
    // A refresh answered after stop() must not start the timer again.
    const active = !stopped && enabled && due !== Infinity
    listen(active)
    // A due time already past gives a negative delay, which setTimeout runs at once.
    if (active) timer = setTimeout(check, Math.min(due - now(), MAX_DELAY))
  }

  return {
    update,
    stop() {
      stopped = true
      update()
    },
  }
}
