import { isatty } from 'node:tty'
import pino from 'pino'
import { createPrettySink } from '../../transports/pretty.ts'
import type { LineDestination } from '../options.ts'

let sink: LineDestination | undefined

/**
 * Where a logger writes when no destination is given: pretty lines when stdout is a terminal,
 * NDJSON otherwise. Writes are synchronous, straight to fd 1 (also from worker threads, whose
 * `process.stdout` would otherwise hop through the main thread), so nothing is lost on exit.
 */
export function openLocalSink (): LineDestination {
  // One sink per thread, shared by all its loggers: each would otherwise hold its own buffer on fd 1.
  sink ??= isatty(1) ? createPrettySink({ destination: 1, isTTY: true }) : pino.destination({ dest: 1, sync: true })
  return sink
}
