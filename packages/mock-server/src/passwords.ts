// Passwords are kept only as salted PBKDF2-SHA-256 hashes computed with WebCrypto (Node and browsers alike).
import { base64url, randomBytes } from './random'

export interface PasswordHash {
  readonly algorithm: 'PBKDF2-SHA-256'
  readonly iterations: number
  readonly salt: Uint8Array
  readonly hash: Uint8Array
}

const SALT_BYTES = 16
const HASH_BITS = 256

export async function hashPassword(password: string, iterations: number): Promise<PasswordHash> {
  const salt = randomBytes(SALT_BYTES)
  return { algorithm: 'PBKDF2-SHA-256', iterations, salt, hash: await derive(password, salt, iterations) }
}

/** Recomputes the hash with the stored salt and iterations and compares in constant time. */
export async function verifyPassword(password: string, stored: PasswordHash): Promise<boolean> {
  const candidate = await derive(password, stored.salt, stored.iterations)
  return constantTimeEqual(candidate, stored.hash)
}

export function describeHash(stored: PasswordHash) {
  return {
    algorithm: stored.algorithm,
    iterations: stored.iterations,
    salt: base64url(stored.salt),
    hash: base64url(stored.hash),
  } as const
}

async function derive(password: string, salt: Uint8Array, iterations: number): Promise<Uint8Array> {
  const subtle = globalThis.crypto.subtle
  const material = await subtle.importKey('raw', new TextEncoder().encode(password), 'PBKDF2', false, ['deriveBits'])
  const bits = await subtle.deriveBits(
    { name: 'PBKDF2', hash: 'SHA-256', salt: salt as Uint8Array<ArrayBuffer>, iterations },
    material,
    HASH_BITS,
  )
  return new Uint8Array(bits)
}

function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let difference = 0
  for (let i = 0; i < a.length; i++) difference |= (a[i] ?? 0) ^ (b[i] ?? 0)
  return difference === 0
}
