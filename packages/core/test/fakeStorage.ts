/** An in-memory Web Storage (the `Storage` interface), for Node tests of webStorage. */
export function fakeWebStorage(initial: Record<string, string> = {}): Storage {
  const items = new Map(Object.entries(initial))
  return {
    get length() {
      return items.size
    },
    key: (index) => [...items.keys()][index] ?? null,
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, String(value)),
    removeItem: (key) => void items.delete(key),
    clear: () => items.clear(),
  }
}

/**
 * A `document` whose only part is a cookie jar that reads and writes like a browser's (`name=value; attrs`,
 * `Max-Age=0` removes), for Node tests of cookieStorage through a whole client.
 */
export function fakeCookieDocument() {
  const jar = new Map<string, string>()
  return {
    get cookie() {
      return [...jar].map(([name, value]) => `${name}=${value}`).join('; ')
    },
    set cookie(line: string) {
      const [pair = ''] = line.split('; ')
      const at = pair.indexOf('=')
      if (/; Max-Age=0(;|$)/.test(line)) jar.delete(pair.slice(0, at))
      else jar.set(pair.slice(0, at), pair.slice(at + 1))
    },
    jar,
    // What a client's refresh timer asks of a page.
    visibilityState: 'visible',
    addEventListener: () => undefined,
    removeEventListener: () => undefined,
  }
}
