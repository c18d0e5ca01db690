import { useUser } from '@tokenrail/react'

const TIME_CLAIMS = new Set(['iat', 'exp', 'nbf'])

const show = (name: string, value: unknown) =>
  TIME_CLAIMS.has(name) && typeof value === 'number' ? new Date(value * 1000).toLocaleTimeString() : JSON.stringify(value)

/** The access token's claims, as the client decoded them (the token itself is never shown). */
export function Claims() {
  const user = useUser()
  if (!user) return null
  return (
    <section className="card" aria-label="Claims">
      <h2>Your claims</h2>
      <table>
        <tbody>
          {Object.entries(user).map(([name, value]) => (
            <tr key={name}>
              <th>{name}</th>
              <td>{show(name, value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
