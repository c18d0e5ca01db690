export interface SchedulerContext {
  enabled: boolean
  now(): number
  /** When the next proactive refresh is due (client clock); Infinity for never. */
  dueAt(): number
  run(): Promise<void>
}

// setTimeout cannot wait longer than this; a longer wait is taken in steps.
const MAX_DELAY = 2 ** 31 - 1

/**
 * The proactive refresh timer. A timer only says "look now": whether a refresh is due is decided by comparing
 * clock times, because timers fire late after the machine sleeps. A hidden page does not refresh; it catches
 * up when it becomes visible. The visibility listener exists only while a refresh is scheduled.
 */
export function createScheduler(context: SchedulerContext) {
  let timer: ReturnType<typeof setTimeout> | undefined
  let listening = false
  let stopped = false

  const hidden = () => typeof document !== 'undefined' && document.visibilityState === 'hidden'

  function listen(on: boolean) {
    if (on === listening || typeof document === 'undefined') return
    listening = on
    document[on ? 'addEventListener' : 'removeEventListener']('visibilitychange', check)
  }

  function check() {
    if (hidden()) return
    if (context.now() >= context.dueAt()) context.run().then(undefined, update)
    else update()
  }

  function update() {
    clearTimeout(timer)
    // A refresh answered after stop() must not start the timer again.
    if (stopped) return
    const due = context.dueAt()
    const active = context.enabled && due !== Infinity
    listen(active)
    if (active) timer = setTimeout(check, Math.min(Math.max(due - context.now(), 0), MAX_DELAY))
  }

  return {
    update,
    stop() {
      stopped = true
      clearTimeout(timer)
      listen(false)
    },
  }
}
