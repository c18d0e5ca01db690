import { webStorage, type TokenStorage } from '../../src'

export const STORAGE_KEY = 'tokenrail'

/**
 * A page's localStorage, shared by the tabs of one test, whose every method throws while it is broken
 * (private mode, a full quota, a permission taken back).
 */
export function breakableStorage() {
  const items = new Map<string, string>()
  let broken = false
  const check = () => {
    if (broken) throw new DOMException('The storage is not available', 'SecurityError')
  }
  const area = {
    get length() {
      return items.size
    },
    key: (index: number) => [...items.keys()][index] ?? null,
    getItem: (key: string) => (check(), items.get(key) ?? null),
    setItem: (key: string, value: string) => (check(), void items.set(key, String(value))),
    removeItem: (key: string) => (check(), void items.delete(key)),
    clear: () => (check(), items.clear()),
  }
  return {
    area: area as Storage,
    setBroken: (next: boolean) => void (broken = next),
    isBroken: () => broken,
  }
}

/** The client's view of that storage: `webStorage`, or the same behind promises (an async store). */
export function clientStorage(area: Storage, kind: 'sync' | 'async'): TokenStorage {
  const web = webStorage(area, { key: STORAGE_KEY })
  if (kind === 'sync') return web
  const later = async <T>(run: () => T): Promise<Awaited<T>> => {
    await Promise.resolve()
    return await run()
  }
  return {
    get: (key) => later(() => web.get(key)),
    set: (tokens, key) => later(() => web.set(tokens, key)),
    clear: (key) => later(() => web.clear(key)),
  }
}
