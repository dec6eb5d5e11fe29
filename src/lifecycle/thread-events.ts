import { subscribe } from 'node:diagnostics_channel'
import { isMainThread, type Worker } from 'node:worker_threads'
import { postToHub } from '../hub/hub-client.ts'
import { relayToHub } from '../hub/hub-starter.ts'
import type { ChannelMessage } from '../hub/protocol.ts'
import { filterBlock, releaseThreadSlot } from '../filter/filter-block.ts'

let watching = false

/**
 * Notes on `worker` when its `terminate()` is called. A terminated thread exits with code 1, like a
 * thread that crashed, and runs none of its own exit handlers: only this tells the hub that the
 * application asked for it (a pool being destroyed, piscina retiring an idle thread), which is no fault.
 */
function noteTerminate (worker: Worker): () => boolean {
  let requested = false
  const terminate = worker.terminate
  // An own property on this instance only: Worker.prototype is left alone.
  worker.terminate = function (this: Worker, ...args: Parameters<Worker['terminate']>) {
    requested = true
    return terminate.apply(this, args)
  }
  return () => requested
}

/**
 * Tells the hub when a worker spawned by this thread exits, with its exit code and whether the
 * application terminated it: the things a terminated thread cannot say itself. Node announces every
 * new Worker on the 'worker_threads' diagnostics channel, in the thread that created it.
 */
export function watchWorkerExits (): void {
  if (watching) return
  watching = true
  subscribe('worker_threads', (message) => {
    const worker = (message as { worker: Worker }).worker
    const tid = worker.threadId
    const terminated = noteTerminate(worker)
    worker.once('exit', (exitCode) => {
      // A terminated worker cannot free its filter slot itself: setFilter would wait for it.
      const block = filterBlock()
      if (block !== undefined) releaseThreadSlot(block, tid)
      const message: ChannelMessage = { type: 'thread-exit', tid, exitCode, terminated: terminated(), time: Date.now() }
      if (isMainThread) relayToHub(message)
      else postToHub(message)
    })
  })
}
