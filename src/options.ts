import type { LoggerOptions } from 'pino'
import { isMainThread } from 'node:worker_threads'
import { resolveCallerIgnore } from './context/caller-files.ts'
import { resolveTargets, type ResolvedTarget, type TargetSpec } from './hub/target-spec.ts'
import { DEFAULT_RING_SIZE, MAX_RING_SIZE, MIN_RING_SIZE } from './ring/layout.ts'
import type { OverflowPolicy } from './ring/ring-writer.ts'

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
   * Where serialized records go, in this thread, bypassing the hub. Default: the hub of the process.
   */
  destination?: LineDestination
  /**
   * Where the hub writes, in the shape of pino's `transport.targets`: built-in `pretty`, `ndjson`,
   * `file`, or any pino transport module. Default: `pretty` on a terminal, `ndjson` to stdout
   * otherwise. Configured once per process, by the main thread: a worker may not pass it, and a
   * later logger passing a different list throws.
   */
  targets?: readonly TargetSpec[]
  /**
   * What a thread does when its ring is full: `block` (default) waits until the hub frees room;
   * `drop` drops the record, counts it, and the hub reports `dropped N records` once room returns.
   */
  overflow?: OverflowPolicy
  /**
   * Bytes of this thread's ring (rounded up to a power of two). Default 1 MiB. Buffered memory is
   * at most threads × ringSize. Set by the first logger of each thread.
   */
  ringSize?: number
  /**
   * How long an exit may wait for the hub to write what is buffered, and a blocked thread for the
   * hub to make progress, before giving up (and saying so on stderr). Default 10 000 ms.
   */
  flushTimeoutMs?: number
  /** Log an uncaught exception as `fatal`, with its stack, before Node handles it. Default `true`. */
  logUncaught?: boolean
  /**
   * Add the location of each log call: `caller` (`path/relative/to/cwd.ts:line:column`, the original
   * source's position under `--enable-source-maps`) and `fn` (the calling function's name, when it
   * has one), after `seq`. A field of your own with either name (call field, binding or context
   * field) wins. Default `false`: finding a call site captures a stack trace, which costs several
   * times a whole log call (see the README); with `false` nothing of it runs.
   */
  caller?: boolean
  /**
   * Files or directories (absolute paths or file: URLs, e.g. `import.meta.url` of your logging
   * helper) whose frames are never the `caller`: a call from there reports its own caller instead.
   * Only used with `caller: true`. Default: none (threadlog's and pino's own frames are always skipped).
   */
  callerIgnore?: readonly string[]
  /**
   * Whether child processes (`fork`, `spawn`, `cluster.fork`, and their children) send their records
   * to this process tree's hub. Default `true`: the root process's hub listens on a private unix
   * socket whose path it exports as `THREADLOG_HUB`, and a child that uses threadlog relays to it.
   * With `false`, the variable is not exported (or, in a child, removed), and children log on their
   * own. Configured once per process by the first main-thread logger that passes it (until then, a
   * hub started by a worker exports); a later, different value throws.
   */
  exportHub?: boolean
}

/** How long exit paths wait for the hub unless `flushTimeoutMs` says otherwise. */
export const DEFAULT_FLUSH_TIMEOUT_MS = 10_000

/** The threadlog-specific part of the options, validated and with defaults applied. */
export interface ResolvedOptions {
  readonly name: string | undefined
  readonly threadName: string | undefined
  readonly context: boolean
  readonly destination: LineDestination | undefined
  readonly targets: ResolvedTarget[] | undefined
  readonly overflow: OverflowPolicy
  readonly ringSize: number
  readonly flushTimeoutMs: number
  readonly logUncaught: boolean
  readonly caller: boolean
  readonly callerIgnore: readonly string[]
  /** Undefined when not given: the first main-thread logger that gives it configures the process. */
  readonly exportHub: boolean | undefined
}

/** The smallest power of two ≥ size: ring positions are then a mask away from the counters. */
function resolveRingSize (size: unknown): number {
  if (size === undefined) return DEFAULT_RING_SIZE
  if (typeof size !== 'number' || !Number.isInteger(size)) {
    throw new TypeError('threadlog: option "ringSize" must be an integer number of bytes')
  }
  if (size < MIN_RING_SIZE || size > MAX_RING_SIZE) {
    throw new RangeError(`threadlog: option "ringSize" must be between ${MIN_RING_SIZE} and ${MAX_RING_SIZE} bytes`)
  }
  return 2 ** Math.ceil(Math.log2(size))
}

function assertOptionalBoolean (value: unknown, option: string): asserts value is boolean | undefined {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`threadlog: option "${option}" must be a boolean, got ${typeof value}`)
  }
}

function resolveHubOptions (options: Record<string, unknown>) {
  const { targets, overflow = 'block', flushTimeoutMs = DEFAULT_FLUSH_TIMEOUT_MS, exportHub } = options
  assertOptionalBoolean(exportHub, 'exportHub')
  if (overflow !== 'block' && overflow !== 'drop') {
    throw new RangeError('threadlog: option "overflow" must be "block" or "drop"')
  }
  if (typeof flushTimeoutMs !== 'number' || !(flushTimeoutMs > 0) || !Number.isFinite(flushTimeoutMs)) {
    throw new RangeError('threadlog: option "flushTimeoutMs" must be a positive number of milliseconds')
  }
  if (targets !== undefined && !isMainThread) {
    throw new TypeError('threadlog: option "targets" can only be set in the main thread, which owns the hub')
  }
  return {
    targets: targets === undefined ? undefined : resolveTargets(targets),
    overflow: overflow as OverflowPolicy,
    ringSize: resolveRingSize(options.ringSize),
    flushTimeoutMs,
    exportHub
  }
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
  const { name, threadName, context, destination, logUncaught, caller, callerIgnore } = options as Record<string, unknown>
  assertOptionalName(name, 'name')
  assertOptionalName(threadName, 'threadName')
  assertOptionalBoolean(context, 'context')
  assertOptionalBoolean(logUncaught, 'logUncaught')
  assertOptionalBoolean(caller, 'caller')
  if (destination !== undefined &&
      (destination === null || typeof (destination as LineDestination).write !== 'function')) {
    throw new TypeError('threadlog: option "destination" must have a write(line) method')
  }
  return {
    name,
    threadName,
    context: context ?? true,
    destination: destination as LineDestination | undefined,
    logUncaught: logUncaught ?? true,
    caller: caller ?? false,
    callerIgnore: resolveCallerIgnore(callerIgnore),
    ...resolveHubOptions(options as Record<string, unknown>)
  }
}
