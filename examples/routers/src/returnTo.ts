/**
 * Where to go after the login: the path the user was sent away from, if it is one of this app's own paths.
 * Anything else (`https://evil.example`, `//evil.example`, `/\evil.example`) would turn the login page into an
 * open redirect, so it goes home instead.
 */
export function returnTo(value: unknown): string {
  return typeof value === 'string' && value.startsWith('/') && !value.startsWith('//') && !value.startsWith('/\\')
    ? value
    : '/'
}
