import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKEND_NAMES, BACKENDS } from './backends'
import type { Backend } from './harness/backend'
import { LIBRARIES, type LibraryDrivers, type LibraryName } from './harness/client'
import { runSteps, STEPS } from './harness/steps'
import './harness/table'
import { axiosAuthRefresh, axiosJwt, PEER_NOTES } from './peers'
import { tokenrailAxios, tokenrailFetch } from './tokenrail'

// The matrix: every library through every step on every backend. A peer failing a step is a row of the table, not
// a failed test; tokenrail failing one is a failed test, and so is the harness itself breaking (a server that would
// not start, a step that could not set itself up). The backends' own behaviour is asserted in backends.test.ts.

const NOTES: Partial<Record<LibraryName, string[]>> = PEER_NOTES

const DRIVERS: Record<LibraryName, LibraryDrivers> = {
  'tokenrail (auth.fetch)': tokenrailFetch,
  'tokenrail (attachAxios)': tokenrailAxios,
  'axios-auth-refresh': axiosAuthRefresh,
  'axios-jwt': axiosJwt,
}

describe.each(BACKEND_NAMES)('%s', (name) => {
  let backend: Backend
  beforeAll(async () => void (backend = await BACKENDS[name]()))
  afterAll(() => backend?.stop())

  it.for(LIBRARIES)('%s, every step', async (library, { task }) => {
    const results = await runSteps(backend, DRIVERS[library][name])
    task.meta.interop = { backend: name, title: backend.title, notes: backend.notes, library, libraryNotes: NOTES[library] ?? [], results }
    expect(results.map((result) => result.step)).toEqual(STEPS.map((step) => step.name))
    expect(results.filter((result) => result.reason.startsWith('harness:'))).toEqual([])
    // tokenrail, set up with the README's recipe for this backend, does every step that applies to it.
    if (library.startsWith('tokenrail')) {
      expect(results.filter((result) => result.status !== 'pass' && result.status !== 'n/a')).toEqual([])
      // A refused refresh reaches the app as a SessionExpiredError, on every backend and through both adapters.
      expect(results.find((result) => result.step === 'refused refresh: session over')?.reason).toMatch(/SessionExpiredError/)
    }
  })
})
