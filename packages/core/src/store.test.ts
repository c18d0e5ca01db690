import { afterEach, describe, expect, it, vi } from 'vitest'
import { createEmitter, createStore } from './store'

describe('createStore', () => {
  it('keeps the same snapshot until a field changes, and notifies only on change', () => {
    const store = createStore({ a: 1, b: 'x' })
    const listener = vi.fn()
    store.subscribe(listener)
    const first = store.get()
    store.set({ a: 1 })
    expect(store.get()).toBe(first)
    expect(listener).not.toHaveBeenCalled()
    store.set({ a: 2 })
    expect(store.get()).not.toBe(first)
    expect(store.get()).toEqual({ a: 2, b: 'x' })
    expect(listener).toHaveBeenCalledTimes(1)
  })

  it('stops notifying after unsubscribe', () => {
    const store = createStore({ a: 1 })
    const listener = vi.fn()
    const unsubscribe = store.subscribe(listener)
    unsubscribe()
    store.set({ a: 2 })
    expect(listener).not.toHaveBeenCalled()
  })

  describe('a listener that throws', () => {
    afterEach(() => vi.restoreAllMocks())

    it('does not stop the others, and its error surfaces on its own', async () => {
      const store = createStore({ a: 1 })
      const seen: unknown[] = []
      const onError = (error: unknown) => seen.push(error)
      process.on('uncaughtException', onError)
      const after = vi.fn()
      store.subscribe(() => {
        throw new Error('listener bug')
      })
      store.subscribe(after)
      store.set({ a: 2 })
      expect(after).toHaveBeenCalledTimes(1)
      await new Promise((resolve) => setImmediate(resolve))
      process.off('uncaughtException', onError)
      expect(seen).toEqual([new Error('listener bug')])
    })
  })
})

describe('createEmitter', () => {
  it('delivers payloads to the handlers of one event until they are removed', () => {
    const events = createEmitter<{ ping: number; pong: string }>()
    const ping = vi.fn()
    const pong = vi.fn()
    const off = events.on('ping', ping)
    events.on('pong', pong)
    events.emit('ping', 1)
    off()
    events.emit('ping', 2)
    expect(ping.mock.calls).toEqual([[1]])
    expect(pong).not.toHaveBeenCalled()
  })

  it('clear removes every handler', () => {
    const events = createEmitter<{ ping: number }>()
    const ping = vi.fn()
    events.on('ping', ping)
    events.clear()
    events.emit('ping', 1)
    expect(ping).not.toHaveBeenCalled()
  })
})
