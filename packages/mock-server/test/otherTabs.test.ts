import { afterEach, describe, expect, it, vi } from 'vitest'
import { watchOtherTabs } from '../src/otherTabs'

const stops: Array<() => void> = []
afterEach(() => stops.splice(0).forEach((stop) => stop()))

const watch = (onOtherTab: () => void) => {
  const stop = watchOtherTabs(onOtherTab)
  stops.push(stop)
  return stop
}

describe('watchOtherTabs', () => {
  it('tells both pages, once each, whichever started first', async () => {
    const first = vi.fn()
    const second = vi.fn()
    watch(first)
    watch(second)
    await vi.waitFor(() => {
      expect(first).toHaveBeenCalledOnce()
      expect(second).toHaveBeenCalledOnce()
    })
    const third = vi.fn()
    watch(third)
    await vi.waitFor(() => expect(third).toHaveBeenCalledOnce())
    // The first two already said it: a third tab makes them say nothing more.
    expect(first).toHaveBeenCalledOnce()
    expect(second).toHaveBeenCalledOnce()
  })

  it('a page alone hears nothing, and ignores messages that are not the watch’s own', async () => {
    const alone = vi.fn()
    watch(alone)
    const stranger = new BroadcastChannel('tokenrail-mock-worker')
    stranger.postMessage({ type: 'something else', id: 'x' })
    stranger.postMessage(null)
    await delivered(stranger)
    stranger.close()
    expect(alone).not.toHaveBeenCalled()
  })

  it('a stopped watch neither hears nor answers a newcomer', async () => {
    const stopped = vi.fn()
    watch(stopped)()
    const later = vi.fn()
    watch(later)
    await delivered(new BroadcastChannel('tokenrail-mock-worker'))
    expect(stopped).not.toHaveBeenCalled()
    expect(later).not.toHaveBeenCalled()
  })
})

/**
 * Resolves once a message posted on `sender` now has reached another channel: messages travel in order, so
 * everything posted before it (and any answer to that) has been delivered by then.
 */
async function delivered(sender: BroadcastChannel): Promise<void> {
  const receiver = new BroadcastChannel('tokenrail-mock-worker')
  const arrived = new Promise((resolve) => (receiver.onmessage = resolve))
  sender.postMessage({ type: 'marker' })
  await arrived
  receiver.close()
  sender.close()
}
