// pino.transport per worker: each worker starts its own transport thread, all appending to the
// same destination (as people do when every worker needs a logger).
import { once } from 'node:events'
import { isMainThread } from 'node:worker_threads'
import pino from 'pino'
import { config, logAll, readyToGo, runWorkers } from './workload.ts'

if (isMainThread) {
  await runWorkers(new URL(import.meta.url))
} else {
  const transport = pino.transport({ target: 'pino/file', options: { destination: config.destination, append: true } })
  await once(transport, 'ready')
  const log = pino(transport)
  await readyToGo()
  logAll((fields, msg) => log.info(fields, msg))
}
