import { subscribe } from 'node:diagnostics_channel'
import { isMainThread, type Worker } from 'node:worker_threads'
import { postToHub } from '../hub/hub-client.ts'
import { relayToHub } from '../hub/hub-starter.ts'
import type { ChannelMessage } from '../hub/protocol.ts'
import { filterBlock, releaseThreadSlot } from '../filter/filter-block.ts'

let watching = false

/**
 * Tells the hub when a worker spawned by this thread exits, with its exit code: the one thing a
 * terminated thread cannot say itself. Node announces every new Worker on the 'worker_threads'
 * diagnostics channel, in the thread that created it.
 */
export function watchWorkerExits (): void {
  if (watching) return
  watching = true
  subscribe('worker_threads', (message) => {
    const worker = (message as { worker: Worker }).worker
    const tid = worker.threadId
    worker.once('exit', (exitCode) => {
      // A terminated worker cannot free its filter slot itself: setFilter would wait for it.
      if (filterBlock !== undefined) releaseThreadSlot(filterBlock, tid)
      const message: ChannelMessage = { type: 'thread-exit', tid, exitCode, time: Date.now() }
      if (isMainThread) relayToHub(message)
      else postToHub(message)
    })
  })
}
