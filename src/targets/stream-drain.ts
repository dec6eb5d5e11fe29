import type { Writable } from 'node:stream'

/**
 * What a transport may return: a Node Writable, or a stream that only looks like one — sonic-boom
 * (pino.destination, pino-roll) is an EventEmitter with `write` and a `drain` event, and no
 * `writableNeedDrain`.
 */
export type TransportStream = NodeJS.EventEmitter & Pick<Writable, 'write' | 'end'> &
  Partial<Pick<Writable, 'writableNeedDrain' | 'closed' | 'destroyed' | 'writableFinished'>>

/**
 * Resolves once `stream`, whose last `write` returned false, can take more (or has closed or
 * failed, so waiting longer would hang). Like thread-stream's worker (pino's transport thread), it
 * waits for `drain` whatever the stream is: sonic-boom has no `writableNeedDrain`, and pino-roll
 * rotates on the `drain` that follows a write past its size, so a hub that wrote on would never
 * let it roll. Listeners are removed either way: a `Promise.race` of `events.once` leaves the
 * loser's listener behind on every wait, which a busy hub piles up by the thousand.
 */
export async function awaitDrain (stream: TransportStream): Promise<void> {
  if (stream.writableNeedDrain === false || stream.closed === true || stream.destroyed === true) return
  await new Promise<void>((resolve) => {
    const done = () => {
      stream.off('drain', done)
      stream.off('close', done)
      stream.off('error', done)
      resolve()
    }
    stream.on('drain', done)
    stream.on('close', done)
    stream.on('error', done)
  })
}
