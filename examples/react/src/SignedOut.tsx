import { useDemo } from './demoContext'
import { LoginForm } from './LoginForm'

/** The logged-out page: the form, and what there is to see once signed in. */
export function SignedOut() {
  const { notice } = useDemo()
  return (
    <div className="signed-out">
      <LoginForm />
      <section className="card intro" aria-label="About this demo">
        <h2>What you will see</h2>
        <ol className="steps">
          <li>Sign in: the client stores the access token and sends it as <code>Authorization: Bearer</code>.</li>
          <li>
            <strong>Expire the access token</strong> moves the mock server’s clock 5 minutes on. The server now calls
            the token expired; the page does not know yet.
          </li>
          <li>
            <strong>Refresh storm</strong> sends 5 requests at once with that token: 5 × 401, <em>one</em> refresh they
            all wait for, 5 retries with the new token. The request timeline shows every step.
          </li>
        </ol>
        {notice && <p role="alert">{notice}</p>}
      </section>
    </div>
  )
}
