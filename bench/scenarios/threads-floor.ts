// The floor of the threads table: every worker serializes its records exactly as the threadlog
// contender does and encodes each line into memory of its own, as any destination must (a line is a
// rope of strings until something flattens and encodes it), then forgets it: no ring, no hub, no
// I/O. No way of moving records out of the threads can be faster than this.
import { isMainThread } from 'node:worker_threads'
import { createLogger } from '../../src/index.ts'
import { logAll, readyToGo, runWorkers } from './workload.ts'

if (isMainThread) {
  await runWorkers(new URL(import.meta.url))
} else {
  const memory = Buffer.allocUnsafe(1024 * 1024)
  let offset = 0
  const log = createLogger({
    destination: {
      write: (line: string) => {
        if (offset + line.length * 3 > memory.length) offset = 0
        offset += memory.write(line, offset)
      }
    }
  })
  await readyToGo()
  logAll((fields, msg) => log.info(fields, msg))
}
