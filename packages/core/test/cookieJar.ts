/**
 * A fetch that keeps cookies the way a browser does for one site: stores Set-Cookie (name, value, Path,
 * Max-Age=0 deletes) and sends back the ones whose path matches. Node's fetch keeps none, and cookie mode
 * needs them.
 */
export function fetchWithCookieJar(jar = new Map<string, { value: string; path: string }>()) {
  const fetchWithJar: typeof fetch = async (input, init) => {
    const request = new Request(input, init)
    const { pathname } = new URL(request.url)
    const cookies = [...jar].filter(([, cookie]) => pathname.startsWith(cookie.path))
    if (cookies.length) request.headers.set('cookie', cookies.map(([name, { value }]) => `${name}=${value}`).join('; '))
    const response = await fetch(request)
    for (const line of response.headers.getSetCookie()) {
      const [pair = '', ...attributes] = line.split(/;\s*/)
      const at = pair.indexOf('=')
      const name = pair.slice(0, at)
      const path = attributes.find((attribute) => /^path=/i.test(attribute))?.slice(5) ?? '/'
      if (attributes.some((attribute) => /^max-age=0$/i.test(attribute))) jar.delete(name)
      else jar.set(name, { value: pair.slice(at + 1), path })
    }
    return response
  }
  return { fetch: fetchWithJar, jar }
}
