/**
 * The header a cookie-mode refresh must carry, `x-tokenrail-csrf: 1`. A cross-site form, link or image cannot set
 * a custom header, and a cross-origin script cannot either without passing CORS, so a request that has it comes
 * from the app itself. `@tokenrail/core` sends the same header in cookie mode.
 */
export const CSRF_HEADER = 'x-tokenrail-csrf'
export const CSRF_HEADER_VALUE = '1'
