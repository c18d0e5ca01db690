/**
 * The smallest observable: a snapshot replaced only when one of its fields changed, so
 * `useSyncExternalStore` renders exactly when it should and `getState()` is stable in between.
 */
export interface Store<T extends object> {
  get(): T
  set(patch: Partial<T>): void
  subscribe(listener: () => void): () => void
}

export function createStore<T extends object>(initial: T): Store<T> {
  let state = initial
  const changes = createEmitter<{ change: undefined }>()
  return {
    get: () => state,
    set(patch) {
      const keys = Object.keys(patch) as (keyof T)[]
      if (keys.every((key) => Object.is(state[key], patch[key]))) return
      state = { ...state, ...patch }
      changes.emit('change', undefined)
    },
    subscribe: (listener) => changes.on('change', listener),
  }
}

/** A small typed event emitter; `on` returns its own `off`. */
export function createEmitter<Events extends object>() {
  const handlers = new Map<keyof Events, Set<(payload: never) => void>>()
  return {
    on<K extends keyof Events>(event: K, handler: (payload: Events[K]) => void): () => void {
      const set = handlers.get(event) ?? new Set()
      handlers.set(event, set.add(handler))
      return () => void set.delete(handler)
    },
    emit<K extends keyof Events>(event: K, payload: Events[K]) {
      handlers.get(event)?.forEach((handler) => callSafely(handler, payload as never))
    },
    clear: () => handlers.clear(),
  }
}

// A listener that throws must not stop the others, nor the engine that notified it: its error is rethrown
// on its own, where the app's error reporting sees it.
function callSafely<A>(listener: (arg: A) => void, arg?: A) {
  try {
    listener(arg as A)
  } catch (error) {
    queueMicrotask(() => {
      throw error
    })
  }
}
