interface ImportMetaEnv {
  /** The provider's issuer identifier (`.env`, or set by scripts/start.mjs). */
  readonly VITE_OIDC_ISSUER: string
  /** The API's origin: its resource indicator, and the only origin that gets the access token. */
  readonly VITE_OIDC_API: string
}
