// Random values and base64url, from WebCrypto read at call time so the module loads anywhere.

export function base64url(bytes: Uint8Array): string {
  let binary = ''
  for (const byte of bytes) binary += String.fromCharCode(byte)
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')
}

export function randomBytes(length: number): Uint8Array {
  return globalThis.crypto.getRandomValues(new Uint8Array(length))
}

/** An unguessable opaque identifier: `bytes` random bytes as base64url. */
export function randomId(bytes = 16): string {
  return base64url(randomBytes(bytes))
}
