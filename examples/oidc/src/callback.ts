import { handleRedirectCallback } from '@tokenrail/core/oauth2'
import { isLoginError } from '@tokenrail/react'
import { returnTo, type Auth } from './auth'

/** How the return from the provider ended: where to go now, or why the sign-in failed. */
export type CallbackOutcome = { to: string } | { error: unknown }

/**
 * Finishes the sign-in on the callback page. Called once per page load, outside React (main.tsx), so that
 * StrictMode's second effect run, or any re-render, cannot start a second code exchange.
 */
export async function finishSignIn(auth: Auth): Promise<CallbackOutcome> {
  try {
    const { appState } = await handleRedirectCallback(auth)
    return { to: returnTo(appState) }
  } catch (error) {
    // The callback opened again (a reload, the back button, a bookmark): its round trip is spent, nothing is
    // exchanged, and the session it started stays. Someone signed in goes home; anyone else sees why not.
    await auth.ready
    if (isLoginError(error) && error.error === 'no_login_in_progress' && auth.getState().status === 'authenticated') return { to: '/' }
    return { error }
  }
}
