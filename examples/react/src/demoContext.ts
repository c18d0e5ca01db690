import { createContext, useContext } from 'react'
import type { DemoOptions } from './demoOptions'
import type { MockBackend } from './mockServer'
import type { Timeline } from './createTimeline'

/** What the demo's own parts share (not tokenrail's: the client comes from `AuthProvider`). */
export interface Demo {
  backend: MockBackend
  options: DemoOptions
  timeline: Timeline
  /** Set when the page was asked for something its backend cannot do (cookie mode under msw). */
  notice: string | undefined
}

export const DemoContext = createContext<Demo | null>(null)

export function useDemo(): Demo {
  const demo = useContext(DemoContext)
  if (!demo) throw new Error('useDemo() must be used inside <DemoContext.Provider>')
  return demo
}
