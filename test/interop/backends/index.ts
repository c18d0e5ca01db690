import type { Backend, BackendName } from '../harness/backend'
import { startDjango } from './django'
import { startLaravel } from './laravel'
import { startNest } from './nest'
import { startOidcProvider } from './oidcProvider'
import { startSupabase } from './supabase'

/** Every backend of the suite, in the order the table lists them. */
export const BACKENDS: Record<BackendName, () => Promise<Backend>> = {
  'oidc-provider': startOidcProvider,
  'django-simplejwt': startDjango,
  'laravel-jwt-auth': startLaravel,
  'nestjs-jwt': startNest,
  'supabase-gotrue': startSupabase,
}

export const BACKEND_NAMES = Object.keys(BACKENDS) as BackendName[]
