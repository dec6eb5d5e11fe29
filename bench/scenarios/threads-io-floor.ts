// The I/O-limit floor of the threads table: every worker serializes its records exactly as the
// threadlog contender does, encodes them into a 64 KiB buffer of its own and appends each full
// buffer to the file itself (O_APPEND: whole writes never interleave). No ring, no hub, no merge:
// no design that writes these records to the file can be faster.
import { closeSync, openSync, writeSync } from 'node:fs'
import { isMainThread } from 'node:worker_threads'
import { createLogger } from '../../src/index.ts'
import { config, logAll, readyToGo, runWorkers } from './workload.ts'

/** The size of threadlog's small writes too (the hub's SMALL_CYCLE_BYTES). */
const WRITE_BYTES = 64 * 1024

if (isMainThread) {
  await runWorkers(new URL(import.meta.url))
} else {
  if (typeof config.destination !== 'string') throw new TypeError('the I/O floor appends to a file')
  const fd = openSync(config.destination, 'a')
  const buffer = Buffer.allocUnsafe(WRITE_BYTES)
  let length = 0
  const flush = () => {
    for (let written = 0; written < length;) written += writeSync(fd, buffer, written, length - written)
    length = 0
  }
  const log = createLogger({
    destination: {
      write: (line: string) => {
        // A line longer than the buffer (not in this table) would need a write of its own.
        if (length + line.length * 3 > WRITE_BYTES) flush()
        length += buffer.write(line, length)
      }
    }
  })
  await readyToGo()
  logAll((fields, msg) => log.info(fields, msg))
  flush()
  closeSync(fd)
}
