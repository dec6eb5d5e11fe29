import type { LoggerOptions } from 'pino'

/** Anything pino can write serialized records to: it only needs `write(line)`. */
export interface LineDestination {
  write(line: string): unknown
}

/**
 * Options of {@link createLogger}: every pino option, plus threadlog's own.
 *
 * pino's `base` is honoured (its fields follow the identity fields), but `pid` and `hostname` are
 * always threadlog's: they are part of the identity every record carries.
 */
export interface ThreadlogOptions extends LoggerOptions {
  /**
   * The process name, written as `proc` on every record. Default: the name set by the first logger
   * of the parent thread that gave one, else the main script's file name without its extension
   * (`server` for `node server.js`), else `process.title`. Never empty.
   */
  name?: string
  /**
   * This thread's name, written as `thread`. Default: the Worker's `name` option when it has one,
   * `main` on the main thread, `worker-<threadId>` in an unnamed worker.
   */
  threadName?: string
  /**
   * Whether records carry the fields of the current {@link withContext} scope. Default `true`.
   * With `false`, no AsyncLocalStorage lookup happens on the logging path at all.
   */
  context?: boolean
  /**
   * Where serialized records go, bypassing threadlog's default sink. Default: pretty lines when
   * stdout is a terminal, NDJSON on stdout otherwise.
   */
  destination?: LineDestination
}

/** The threadlog-specific part of the options, validated and with defaults applied. */
export interface ResolvedOptions {
  readonly name: string | undefined
  readonly threadName: string | undefined
  readonly context: boolean
  readonly destination: LineDestination | undefined
}

function assertOptionalName(value: unknown, option: string): asserts value is string | undefined {
  if (value === undefined) return
  if (typeof value !== 'string') {
    throw new TypeError(`threadlog: option "${option}" must be a string, got ${typeof value}`)
  }
  if (value.trim() === '') {
    throw new RangeError(`threadlog: option "${option}" must not be empty`)
  }
}

/**
 * Validates threadlog's own options once, at construction, so that a log call never has to.
 * Throws a `TypeError`/`RangeError` whose message names the offending option.
 */
export function resolveOptions(options: unknown): ResolvedOptions {
  if (options === undefined) options = {}
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError('threadlog: options must be an object')
  }
  const { name, threadName, context, destination } = options as Record<string, unknown>
  assertOptionalName(name, 'name')
  assertOptionalName(threadName, 'threadName')
  if (context !== undefined && typeof context !== 'boolean') {
    throw new TypeError(`threadlog: option "context" must be a boolean, got ${typeof context}`)
  }
  if (destination !== undefined &&
      (destination === null || typeof (destination as LineDestination).write !== 'function')) {
    throw new TypeError('threadlog: option "destination" must have a write(line) method')
  }
  return {
    name,
    threadName,
    context: context ?? true,
    destination: destination as LineDestination | undefined
  }
}
