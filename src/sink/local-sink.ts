import { isatty } from 'node:tty'
import pino from 'pino'
import { createPrettySink } from '../format/pretty-sink.ts'
import { openBlockingDescriptor } from '../targets/blocking-fd.ts'
import type { LineDestination } from '../options.ts'

let sink: LineDestination | undefined

/**
 * Where a thread writes its records itself when no hub answered (the main thread never loaded
 * threadlog): pretty lines when stdout is a terminal, NDJSON otherwise, synchronously, so that
 * nothing is lost on exit.
 */
export function openLocalSink (): LineDestination {
  // One sink per thread, shared by all its loggers: each would otherwise hold its own buffer on fd 1.
  if (sink !== undefined) return sink
  const fd = openBlockingDescriptor(1)
  sink = isatty(1) ? createPrettySink({ destination: fd, isTTY: true }) : pino.destination({ dest: fd, sync: true })
  return sink
}
