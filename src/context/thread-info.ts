import * as workerThreads from 'node:worker_threads'

/** The thread-specific part of a record's identity. */
export interface ThreadInfo {
  /** `worker_threads.threadId`: 0 on the main thread. */
  readonly tid: number
  readonly thread: string
}

// Node reports '' on the main thread and 'WorkerThread' for a Worker created without a name:
// neither tells threads apart, so both fall back to threadlog's own default.
const MEANINGLESS_NAMES = new Set(['', 'WorkerThread'])

/** Resolves this thread's identity; an explicit name wins over the Worker's `name` option. */
export function resolveThreadInfo (threadName: string | undefined): ThreadInfo {
  const tid = workerThreads.threadId
  if (threadName !== undefined) return { tid, thread: threadName }
  const given = workerThreads.threadName
  if (typeof given === 'string' && !MEANINGLESS_NAMES.has(given)) return { tid, thread: given }
  return { tid, thread: workerThreads.isMainThread ? 'main' : `worker-${tid}` }
}
