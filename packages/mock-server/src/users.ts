import { describeHash, hashPassword, verifyPassword, type PasswordHash } from './passwords'
import type { MockUser, MockUsers, StoredUser, UserClaims } from './types'

/** The user every server has when no users are given. The package README names it. */
export const DEMO_USER = {
  username: 'demo',
  password: 'demo-password',
  claims: { name: 'Demo User', email: 'demo@example.com', roles: ['user'] },
} as const satisfies MockUser

export interface UserRecord {
  readonly username: string
  readonly claims: Readonly<UserClaims>
  readonly passwordHash: Promise<PasswordHash>
}

export interface UserStore {
  readonly api: MockUsers
  /** The claims a user's access tokens carry ({} for a name the store does not know). */
  claimsOf(username: string): Readonly<UserClaims>
  /** The user when the password matches; otherwise undefined, after the same amount of hashing work. */
  authenticate(username: string, password: string): Promise<UserRecord | undefined>
}

export function createUserStore(initial: readonly MockUser[], iterations: number): UserStore {
  const users = new Map<string, UserRecord>()
  // Unknown usernames are checked against this hash, so a failed login costs the same either way.
  const dummyHash = quiet(hashPassword(String(Math.random()), iterations))

  function addRecord(user: MockUser): UserRecord {
    assertUser(user)
    if (users.has(user.username)) throw new TypeError(`duplicate username ${JSON.stringify(user.username)}`)
    const record: UserRecord = {
      username: user.username,
      claims: { ...user.claims },
      passwordHash: quiet(hashPassword(user.password, iterations)),
    }
    users.set(user.username, record)
    return record
  }

  for (const user of initial) addRecord(user)

  const api: MockUsers = {
    async add(user) {
      await addRecord(user).passwordHash
    },
    async list() {
      const records = [...users.values()]
      return Promise.all(records.map(toStoredUser))
    },
  }

  return {
    api,
    claimsOf: (username) => users.get(username)?.claims ?? {},
    async authenticate(username, password) {
      const record = users.get(username)
      const matches = await verifyPassword(password, await (record?.passwordHash ?? dummyHash))
      return matches ? record : undefined
    },
  }
}

async function toStoredUser(record: UserRecord): Promise<StoredUser> {
  return { username: record.username, claims: record.claims, passwordHash: describeHash(await record.passwordHash) }
}

function assertUser(user: MockUser): void {
  if (typeof user !== 'object' || user === null) throw new TypeError('a user must be an object')
  if (typeof user.username !== 'string' || user.username === '') {
    throw new TypeError('a user needs a non-empty string username')
  }
  if (typeof user.password !== 'string' || user.password === '') {
    throw new TypeError(`user ${JSON.stringify(user.username)} needs a non-empty string password`)
  }
  if (user.claims !== undefined && (typeof user.claims !== 'object' || user.claims === null || Array.isArray(user.claims))) {
    throw new TypeError(`user ${JSON.stringify(user.username)}: claims must be an object`)
  }
}

/** Keeps a hashing failure from surfacing as an unhandled rejection before anyone awaits it. */
function quiet<T>(promise: Promise<T>): Promise<T> {
  promise.catch(() => {})
  return promise
}
