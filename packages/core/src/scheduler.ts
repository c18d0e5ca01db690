export interface SchedulerContext {
  enabled: boolean
  now(): number
  /** When the next proactive refresh is due (client clock); Infinity for never. */
  dueAt(): number
  run(): Promise<void>
}

// setTimeout cannot wait longer than this; a longer wait is taken in steps.
export const MAX_DELAY = 2 ** 31 - 1

/**
 * The proactive refresh timer. A timer only says "look now": whether a refresh is due is decided by comparing
 * clock times, because timers fire late after the machine sleeps. A hidden page does not refresh; it catches
 * up when it becomes visible. The visibility listener exists only while a refresh is scheduled.
 */
export function createScheduler(context: SchedulerContext) {
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
    if (context.now() >= context.dueAt()) context.run().then(undefined, update)
    else update()
  }

  function update() {
    clearTimeout(timer)
    const due = context.dueAt()
    // A refresh answered after stop() must not start the timer again.
    const active = !stopped && context.enabled && due !== Infinity
    listen(active)
    // A due time already past gives a negative delay, which setTimeout runs at once.
    if (active) timer = setTimeout(check, Math.min(due - context.now(), MAX_DELAY))
  }

  return {
    update,
    stop() {
      stopped = true
      update()
    },
  }
}
