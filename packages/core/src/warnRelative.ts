/**
 * Says, in a development build, that a relative URL took `auth.fetch` to an origin that gets no token; true once
 * said (once per client is enough). Bundlers write `process.env.NODE_ENV` in; a page with no bundler has no
 * `process`, and counts as development (nobody ships an unbundled app).
 */
export function warnRelative(href: string, url: string): boolean {
  try {
    if (process.env.NODE_ENV === 'production') return false
  } catch {
    // no bundler, no process
  }
  console.warn(`tokenrail: auth.fetch('${href}') went to ${url} without a token: relative URLs resolve against the page, not baseURL`)
  return true
}
