// Clients never verify signatures, so unit tests of token handling can use tokens with a dummy signature.
const base64url = (text: string) => Buffer.from(text).toString('base64url')

export function unsignedJwt(payload: unknown, header: unknown = { alg: 'HS256', typ: 'at+jwt' }) {
  return `${base64url(JSON.stringify(header))}.${base64url(JSON.stringify(payload))}.c2lnbmF0dXJl`
}
