// The naive central logger: every worker posts each serialized pino line to the main thread, which
// writes them to the destination through one asynchronous sonic-boom (pino.destination).
import { isMainThread, parentPort } from 'node:worker_threads'
import pino from 'pino'
import { config, logAll, readyToGo, runWorkers } from './workload.ts'

if (isMainThread) {
  const destination = pino.destination({ dest: config.destination, sync: false, append: true })
  await runWorkers(new URL(import.meta.url), (line) => destination.write(line as string))
  destination.end()
} else {
  const log = pino({}, { write: (line: string) => parentPort?.postMessage(line) })
  await readyToGo()
  logAll((fields, msg) => log.info(fields, msg))
}
