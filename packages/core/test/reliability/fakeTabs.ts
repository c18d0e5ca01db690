type Listener = (event: MessageEvent) => void

/**
 * A page's BroadcastChannel and Web Locks, held in the test's hand: a message posted by one channel waits in
 * one FIFO queue until the test delivers it, so the order of delivery against everything else is the test's
 * choice, as it is the event loop's in a browser (`autoDeliver` delivers each on a microtask instead). Locks
 * are exclusive, granted in request order, and honour the request's `signal`.
 */
export function createFakeTabs({ autoDeliver = false } = {}) {
  const queue: { target: FakeChannel; data: unknown }[] = []
  const channels = new Set<FakeChannel>()
  /** Messages posted to channels nobody delivers (the simulated other tab reads them at once). */
  const immediate = new Set<FakeChannel>()

  class FakeChannel {
    onmessage: Listener | null = null
    readonly listeners = new Set<Listener>()
    constructor(readonly name: string) {
      channels.add(this)
    }
    postMessage(data: unknown) {
      for (const target of channels) {
        if (target === this || target.name !== this.name) continue
        if (immediate.has(target)) target.dispatch(structuredClone(data))
        else {
          queue.push({ target, data: structuredClone(data) })
          if (autoDeliver) queueMicrotask(deliverNext)
        }
      }
    }
    addEventListener(type: string, listener: Listener) {
      if (type === 'message') this.listeners.add(listener)
    }
    removeEventListener(type: string, listener: Listener) {
      if (type === 'message') this.listeners.delete(listener)
    }
    close() {
      channels.delete(this)
      this.listeners.clear()
      this.onmessage = null
    }
    dispatch(data: unknown) {
      if (!channels.has(this)) return
      const event = { data } as MessageEvent
      this.onmessage?.(event)
      for (const listener of [...this.listeners]) listener(event)
    }
  }

  const locks = createLockManager()

  /** Delivers the oldest queued message; false when none is queued. */
  function deliverNext() {
    const next = queue.shift()
    next?.target.dispatch(next.data)
    return !!next
  }

  return {
    BroadcastChannel: FakeChannel as unknown as typeof BroadcastChannel,
    locks,
    /** A channel of another tab: it hears this tab's messages at once, and posts to the queue. */
    otherTab(name: string, onMessage: (data: unknown) => void) {
      const channel = new FakeChannel(name)
      immediate.add(channel)
      channel.onmessage = ({ data }) => onMessage(data)
      return channel
    },
    deliverNext,
    get queued() {
      return queue.length
    },
    /** Channels open, and message listeners attached to them, besides the other tab's. */
    get openChannels() {
      return [...channels].filter((channel) => !immediate.has(channel)).length
    },
    get channelListeners() {
      return [...channels].reduce((sum, channel) => sum + channel.listeners.size + (channel.onmessage ? 1 : 0), 0)
    },
  }
}

/** `navigator.locks` with what a test needs to see: who holds a lock, who waits, and a way to hold one. */
export function createLockManager() {
  const waiting = new Map<string, (() => void)[]>()
  const held = new Set<string>()

  function release(name: string) {
    held.delete(name)
    waiting.get(name)?.shift()?.()
  }

  return {
    isHeld: (name: string) => held.has(name),
    get waiting() {
      return [...waiting.values()].reduce((sum, queue) => sum + queue.length, 0)
    },
    /** Takes `name` for another tab until the returned function is called; undefined when it is taken. */
    hold(name: string): (() => void) | undefined {
      if (held.has(name)) return undefined
      held.add(name)
      let released = false
      return () => {
        if (!released) release(name)
        released = true
      }
    },
    request<T>(name: string, options: { signal?: AbortSignal }, task: () => Promise<T>): Promise<T> {
      return new Promise<T>((resolve, reject) => {
        const run = () => {
          options.signal?.removeEventListener('abort', onAbort)
          held.add(name)
          Promise.resolve()
            .then(task)
            .then(resolve, reject)
            .finally(() => release(name))
        }
        const onAbort = () => {
          const queue = waiting.get(name) ?? []
          const at = queue.indexOf(run)
          if (at >= 0) queue.splice(at, 1)
          reject(new DOMException('The lock request is aborted', 'AbortError'))
        }
        if (!held.has(name)) return run()
        waiting.set(name, [...(waiting.get(name) ?? []), run])
        options.signal?.addEventListener('abort', onAbort)
      })
    },
  }
}
