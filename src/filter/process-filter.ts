import { BroadcastChannel } from 'node:worker_threads'
import { parseDirectives } from './directives.ts'
import { FILTER_CHANNEL, awaitThreads, filterBlock, writeFilterText } from './filter-block.ts'
import { applyInThisThreadOnly, refreshFilter } from './thread-filter.ts'

/**
 * Makes `text` the directives of every thread of this process: writes the filter block, applies it
 * in the calling thread at once, tells the other threads on the filter channel, and resolves once
 * every thread with a logger has applied it, with the tids of those that did not within `timeoutMs`
 * (a thread busy in synchronous code applies at its next enabled log call, or when its event loop
 * turns). Used by setFilter, and by a child process's hub when its root's setFilter reaches it.
 *
 * @throws {TypeError} when `text` is not valid directives (nothing is changed then).
 */
export async function applyFilterToProcess (text: string, source: string, timeoutMs: number): Promise<number[]> {
  const directives = parseDirectives(text, source)
  const block = filterBlock()
  // A worker spawned before the main thread loaded threadlog has no block: it can change itself only.
  if (block === undefined) {
    applyInThisThreadOnly(directives)
    return []
  }
  const generation = writeFilterText(block, directives.text)
  refreshFilter()
  const channel = new BroadcastChannel(FILTER_CHANNEL)
  channel.postMessage(generation)
  channel.close()
  return await awaitThreads(block, generation, timeoutMs)
}
