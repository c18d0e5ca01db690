import { useAuthState, useUser } from '@tokenrail/react'
import { clockTime } from './clockTime'

const TIME_CLAIMS = new Set(['iat', 'exp', 'nbf'])

/**
 * The access token's claims, as the client decoded them (the token itself is never shown). Times are shown on
 * this browser's clock, like the timeline and the countdown: the client counts a token's life from when it
 * arrived, so the server's clock (which the demo moves) is only named, as the difference between the two.
 */
export function Claims() {
  const user = useUser()
  const expiresAt = useAuthState((state) => state.expiresAt)
  if (!user) return null
  // How far the server's clock is ahead of this browser's, as this token says: its exp against the client's
  // expiry. Not rounded for the times themselves, so `iat` reads as the moment this page received the token.
  const skew = typeof user.exp === 'number' && expiresAt !== null ? user.exp - expiresAt / 1000 : 0
  const show = (name: string, value: unknown) =>
    TIME_CLAIMS.has(name) && typeof value === 'number'
      ? clockTime((value - skew) * 1000)
      : typeof value === 'string'
        ? value
        : JSON.stringify(value)

  return (
    <section className="card claims" aria-label="Claims">
      <h2>Access token claims</h2>
      <table>
        <tbody>
          {Object.entries(user).map(([name, value]) => (
            <tr key={name}>
              <th scope="row">{name}</th>
              <td>{show(name, value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="hint">
        Times on this browser’s clock.
        {Math.abs(skew) >= 2 && ` The server’s clock is ${formatSkew(Math.round(skew))} ${skew > 0 ? 'ahead' : 'behind'} (the demo moved it).`}
      </p>
    </section>
  )
}

function formatSkew(seconds: number): string {
  const abs = Math.abs(seconds)
  return `${Math.floor(abs / 60)}:${String(abs % 60).padStart(2, '0')}`
}
