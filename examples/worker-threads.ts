// Worker threads log with their own identity: the thread name comes from the Worker's `name`
// option, and the process name given in main is inherited by every worker.
//
//   node examples/worker-threads.ts
//
// In your own project, import from 'threadlog' instead of '../src/index.ts'.
import { once } from 'node:events'
import { Worker, isMainThread, workerData } from 'node:worker_threads'
import { createLogger } from '../src/index.ts'

const log = createLogger(isMainThread ? { name: 'pool' } : {})

if (isMainThread) {
  log.info('starting two workers')
  const workers = ['parser', 'indexer'].map((name, index) =>
    new Worker(new URL(import.meta.url), { name, workerData: { index } }))
  await Promise.all(workers.map((worker) => once(worker, 'exit')))
  log.info('both workers finished')
} else {
  for (let step = 1; step <= 3; step++) log.info({ step, index: workerData.index }, 'working')
}
