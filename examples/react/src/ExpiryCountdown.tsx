import { useAuthState } from '@tokenrail/react'
import { useEffect, useState } from 'react'

const formatSeconds = (seconds: number) => `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`

/** "Access token expires in m:ss" on this browser's clock, ticking each second; the client refreshes before it ends. */
export function ExpiryCountdown() {
  const expiresAt = useAuthState((state) => state.expiresAt)
  const refreshing = useAuthState((state) => state.refreshing)
  const [now, setNow] = useState(Date.now)
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 1000)
    return () => clearInterval(timer)
  }, [])

  if (expiresAt === null) return <p className="expiry">The access token carries no expiry.</p>
  return (
    <p className="expiry">
      Access token expires in{' '}
      <strong data-testid="expires-in">{formatSeconds(Math.max(0, Math.round((expiresAt - now) / 1000)))}</strong>{' '}
      <span className="hint">(this browser’s clock)</span>
      {refreshing && <span className="badge refreshing">refreshing…</span>}
    </p>
  )
}
