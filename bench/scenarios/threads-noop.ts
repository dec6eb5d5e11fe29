// The floor of the threads table: every worker serializes its records exactly as the threadlog
// contender does, then drops them (a destination that writes nothing: no ring, no hub, no I/O). No
// way of moving records out of the threads can be faster than this.
import { isMainThread } from 'node:worker_threads'
import { createLogger } from '../../src/index.ts'
import { logAll, readyToGo, runWorkers } from './workload.ts'

if (isMainThread) {
  await runWorkers(new URL(import.meta.url))
} else {
  const log = createLogger({ destination: { write: () => {} } })
  await readyToGo()
  logAll((fields, msg) => log.info(fields, msg))
}
