import { fileURLToPath } from 'node:url'

const clock = fileURLToPath(new URL('../servers/clock.mjs', import.meta.url))

/** `node --import clock.mjs <server>`: the server's clock is movable before any of its modules load. */
export const nodeServer = (server: string) => ['--import', clock, server]
