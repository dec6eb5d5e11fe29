import type { Writable } from 'node:stream'

/**
 * Resolves once `stream` can take more (or has closed, so waiting longer would hang). Listeners are
 * removed either way: a `Promise.race` of `events.once` leaves the loser's listener behind on every
 * wait, which a busy hub piles up by the thousand.
 */
export async function awaitDrain (stream: Writable): Promise<void> {
  if (!stream.writableNeedDrain || stream.closed || stream.destroyed) return
  await new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done)
      stream.off('close', done)
      resolve()
    }
    stream.on('drain', done)
    stream.on('close', done)
  })
}
