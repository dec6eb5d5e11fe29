import pino, { type DestinationStream, type LoggerOptions } from 'pino'
import { isMainThread } from 'node:worker_threads'
import { resolveCallerIgnore } from './context/caller-files.ts'
import type { IdentityFormatter } from './context/enrich.ts'
import { parseDirectives, type Directives } from './filter/directives.ts'
import { resolveTargets, type ResolvedTarget, type TargetSpec } from './targets/target-spec.ts'
import { DEFAULT_RING_SIZE, MAX_RING_SIZE, MIN_RING_SIZE } from './ring/layout.ts'
import type { OverflowPolicy } from './ring/ring-writer.ts'

/** Anything pino can write serialized records to: it only needs `write(line)`. */
export interface LineDestination {
  write(line: string): unknown
}

/**
 * What `createLogger` takes as its destination argument, as pino does: a stream (anything with
 * `write`, such as `pino.destination()` or `pino.multistream()`), a file path, or a file descriptor.
 */
export type LoggerDestination = DestinationStream | LineDestination | string | number

/** pino's `formatters`, plus threadlog's own for its identity fields. */
export type ThreadlogFormatters = NonNullable<LoggerOptions['formatters']> & {
  /**
   * Reshapes threadlog's identity fields (`ppid`, `proc`, `tid`, `thread`, `worker`): the fields it
   * returns are written instead. Called once per logger. pino's `pid` and `hostname` are left to
   * pino's `base` and `formatters.bindings`, and `seq` keeps its name.
   */
  identity?: IdentityFormatter
}

/**
 * Options of {@link createLogger}: every pino option, with pino's meaning, plus threadlog's own.
 * pino's `base` (with its default `pid` and `hostname`), `name` and `formatters.bindings` write
 * exactly what pino writes; threadlog's identity fields come first, after `time`.
 */
export interface ThreadlogOptions extends LoggerOptions {
  /**
   * pino's `name`, written as pino writes it, and the default process name (`proc`) for every
   * record of the process.
   */
  name?: string
  /** pino's formatters, plus `identity` for threadlog's own fields. */
  formatters?: ThreadlogFormatters
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
  /**
   * Whether a root process's hub registers itself for `threadlog ps`, `attach` and `set`: it then
   * listens on a unix socket in this user's registry directory (`$XDG_RUNTIME_DIR/threadlog`, else
   * `threadlog-<uid>` in the OS temp dir; 0700, checked) and writes an entry there, removed on exit.
   * Default `true`, unless the `THREADLOG_REGISTRY` environment variable is `0` or `false`; this
   * option, when given, wins over the variable. Read at the first logger of the process; a root
   * whose main thread logs alone (and so writes its own records, without a hub) starts its hub a
   * second later to register. Child processes relaying to a root never register.
   */
  registry?: boolean
  /**
   * Filter directives, comma-separated terms `[selector=]level` in the spirit of `RUST_LOG`, e.g.
   * `info,thread:resize-*=debug,proc:billing=warn,tid:3=trace,ctx.tenant:acme=trace`: the level
   * threshold of each thread (and of each record, for `ctx.<key>:` terms), the most specific
   * matching term winning (see the README's "Filter directives"). A bare level is the default;
   * where no term matches, pino's `level` applies. Resolved once per logger: a filtered-out call
   * is one of pino's disabled methods. The `THREADLOG` environment variable, when set, replaces
   * this option (the operator's say over the program's default), and `setFilter()` replaces both.
   * An assignment to `logger.level` takes that logger out of the directives, as in pino.
   * Default: none. A bad directive throws a TypeError quoting it.
   */
  filter?: string
}

/** How long exit paths wait for the hub unless `flushTimeoutMs` says otherwise. */
export const DEFAULT_FLUSH_TIMEOUT_MS = 10_000

function isDestination (value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' ||
    (typeof value === 'object' && value !== null && typeof (value as LineDestination).write === 'function')
}

/**
 * Sorts `createLogger`'s arguments the way pino sorts its own: a first argument that is a
 * destination stands for `(destination)`.
 */
export function splitLoggerArguments (first: unknown, second: unknown): { options: ThreadlogOptions, destination: unknown } {
  if (isDestination(first)) {
    if (second !== undefined) throw new TypeError('threadlog: createLogger(destination) takes no second argument; write createLogger(options, destination)')
    return { options: {}, destination: first }
  }
  if (first !== undefined && (first === null || typeof first !== 'object' || Array.isArray(first))) {
    throw new TypeError('threadlog: options must be an object')
  }
  return { options: (first ?? {}) as ThreadlogOptions, destination: second }
}

/** A file path or descriptor becomes a `pino.destination()`, as pino makes one. */
function resolveDestination (option: unknown, positional: unknown): LineDestination | undefined {
  if (option !== undefined && positional !== undefined) {
    throw new TypeError('threadlog: give the destination either as option "destination" or as createLogger\'s second argument, not both')
  }
  const destination = option ?? positional
  if (destination === undefined) return undefined
  if (typeof destination === 'string' || typeof destination === 'number') return pino.destination(destination)
  if (destination === null || typeof (destination as LineDestination).write !== 'function') {
    throw new TypeError('threadlog: option "destination" must have a write(line) method, or be a file path or descriptor')
  }
  return destination as LineDestination
}

/** pino's `transport` goes to the hub as `targets`, so its records keep the hub's order and lifecycle. */
function targetsFromTransport (transport: unknown, targets: unknown): unknown {
  if (transport === undefined) return targets
  if (targets !== undefined) {
    throw new TypeError('threadlog: give either option "transport" or option "targets", not both (threadlog runs pino\'s transport.targets in its hub)')
  }
  if (transport === null || typeof transport !== 'object') {
    throw new TypeError('threadlog: option "transport" must be an object, as pino\'s { target, options } or { targets }')
  }
  const { target, targets: list, pipeline, options, level } = transport as Record<string, unknown>
  if (pipeline !== undefined) {
    throw new TypeError('threadlog: option "transport.pipeline" is not supported; write each transport as an entry of option "targets"')
  }
  return list ?? [{ target, options, level }]
}

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
  readonly registry: boolean | undefined
  readonly filter: Directives | undefined
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
  const targets = targetsFromTransport(options.transport, options.targets)
  const { overflow = 'block', flushTimeoutMs = DEFAULT_FLUSH_TIMEOUT_MS, exportHub, registry } = options
  assertOptionalBoolean(exportHub, 'exportHub')
  assertOptionalBoolean(registry, 'registry')
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
    exportHub,
    registry
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
export function resolveOptions (options: unknown, positionalDestination?: unknown): ResolvedOptions {
  if (options === undefined) options = {}
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new TypeError('threadlog: options must be an object')
  }
  const { name, threadName, context, destination, logUncaught, caller, callerIgnore, formatters, filter } = options as Record<string, unknown>
  assertOptionalName(name, 'name')
  assertOptionalName(threadName, 'threadName')
  assertOptionalBoolean(context, 'context')
  assertOptionalBoolean(logUncaught, 'logUncaught')
  assertOptionalBoolean(caller, 'caller')
  const identity = (formatters as Record<string, unknown> | undefined)?.identity
  if (identity !== undefined && typeof identity !== 'function') {
    throw new TypeError('threadlog: option "formatters.identity" must be a function')
  }
  return {
    name,
    threadName,
    context: context ?? true,
    destination: resolveDestination(destination, positionalDestination),
    logUncaught: logUncaught ?? true,
    caller: caller ?? false,
    callerIgnore: resolveCallerIgnore(callerIgnore),
    filter: filter === undefined ? undefined : parseDirectives(filter as string, 'option "filter"'),
    ...resolveHubOptions(options as Record<string, unknown>)
  }
}
