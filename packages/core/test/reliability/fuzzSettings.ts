import type fc from 'fast-check'

const fuzzing = process.env.TOKENRAIL_FUZZ === '1'
const number = (value: string | undefined) => (value && Number.isFinite(Number(value)) ? Number(value) : undefined)

/**
 * How hard the property suites push: a fixed seed and a few hundred runs in `npm test`, so a failure there
 * always reproduces; many runs from a fresh seed under `npm run test:fuzz`. `FUZZ_RUNS`, `FUZZ_SEED` and
 * `FUZZ_PATH` (both printed by fast-check on failure) replay or widen a run.
 */
export function fuzzParameters<T>(defaultRuns: number): fc.Parameters<T> {
  const seed = number(process.env.FUZZ_SEED) ?? (fuzzing ? Date.now() ^ (Math.random() * 2 ** 31) : 20_270_101)
  const numRuns = number(process.env.FUZZ_RUNS) ?? (fuzzing ? defaultRuns * 20 : defaultRuns)
  if (fuzzing) console.log(`fuzz: seed ${seed}, ${numRuns} runs (replay with FUZZ_SEED=${seed})`)
  return { seed, numRuns, path: process.env.FUZZ_PATH, endOnFailure: false, verbose: 1 }
}

/** Milliseconds a property test may take: generous under test:fuzz, where the run count is large. */
export const propertyTimeout = fuzzing ? 30 * 60_000 : 60_000

/** The number of requests the memory test sends (about 3 s for 100 000); `MEMORY_REQUESTS` changes it. */
export const memoryRequests = number(process.env.MEMORY_REQUESTS) ?? 100_000
