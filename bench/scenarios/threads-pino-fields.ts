// pino.transport per worker writing the same fields as threadlog: the process's identity and the
// thread's in `base` (serialized once), the per-thread `seq` from a `mixin`, in threadlog's order.
import { once } from 'node:events'
import { hostname } from 'node:os'
import { basename, extname } from 'node:path'
import { isMainThread, threadId, threadName } from 'node:worker_threads'
import pino from 'pino'
import { config, logAll, readyToGo, runWorkers } from './workload.ts'

if (isMainThread) {
  await runWorkers(new URL(import.meta.url))
} else {
  const transport = pino.transport({ target: 'pino/file', options: { destination: config.destination, append: true } })
  await once(transport, 'ready')
  const script = process.argv[1] ?? ''
  const base = {
    pid: process.pid,
    hostname: hostname(),
    ppid: process.ppid,
    proc: basename(script, extname(script)),
    tid: threadId,
    thread: threadName
  }
  let seq = 0
  const log = pino({ base, mixin: () => ({ seq: ++seq }) }, transport)
  await readyToGo()
  logAll((fields, msg) => log.info(fields, msg))
}
