// threadlog: every worker logs into its own ring; the one hub thread writes the destination.
import { isMainThread } from 'node:worker_threads'
import { createLogger, flushAll } from '../../src/index.ts'
import { config, logAll, readyToGo, runWorkers } from './workload.ts'

const target = config.destination === 1
  ? { target: 'ndjson', options: { destination: 1 } }
  : { target: 'file', options: { path: config.destination } }
const log = createLogger(isMainThread ? { targets: [target] } : {})

if (isMainThread) {
  // The hub runs with its target open before the workers start, as pino.transport's threads are 'ready'.
  await flushAll()
  await runWorkers(new URL(import.meta.url))
} else {
  await readyToGo()
  logAll((fields, msg) => log.info(fields, msg))
}
