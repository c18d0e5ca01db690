// The environment-free entry: msw core only (no msw/node, no node: modules), so it runs under setupServer in Node
// and under setupWorker in a browser. The real HTTP server lives in '@tokenrail/mock-server/node'.
export { createMockAuthServer } from './createMockAuthServer'
export { CSRF_HEADER, CSRF_HEADER_VALUE } from './csrf'
export { DEFAULT_AUDIENCE, DEFAULT_ISSUER, DEFAULT_PASSWORD_HASH_ITERATIONS, DEFAULT_REFRESH_COOKIE_NAME } from './options'
export { DEMO_USER } from './users'
export type {
  MockAuthServer,
  MockAuthServerOptions,
  MockClock,
  MockEndpoints,
  MockFaults,
  MockStats,
  MockUser,
  MockUsers,
  RefreshFaultKind,
  RefreshTokenMode,
  SignAccessTokenOptions,
  StoredUser,
  UserClaims,
} from './types'
