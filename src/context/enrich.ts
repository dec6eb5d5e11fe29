import { currentFrame } from './async-context.ts'
import { contextJson } from './context-fields.ts'
import type { ProcessInfo } from './process-info.ts'
import type { ThreadInfo } from './thread-info.ts'
import { createTraceStep } from './trace-context.ts'

// Module state is per thread (every worker loads its own copy), which is exactly the scope of `seq`:
// one counter shared by all loggers and child loggers of the thread, so a reader can detect gaps.
let seq = 0
// The call fields of the one record being written, which shadow context fields of the same name.
let callFields: object | undefined
// `,"caller":…,"fn":…` of the one record being written, by a logger with the `caller` option.
let callerFields = ''

/** threadlog's own identity fields, as {@link IdentityFormatter} receives them. */
export interface IdentityFields {
  readonly ppid: number
  readonly proc: string
  readonly tid: number
  readonly thread: string
  /** `cluster.worker.id` in a cluster worker and its threads; absent elsewhere. */
  readonly worker?: number
}

/**
 * Reshapes threadlog's identity fields: returns the fields to write instead, e.g. ECS's dotted
 * `{ 'process.thread.id': tid, 'process.thread.name': thread }`. Called once per logger.
 */
export type IdentityFormatter = (fields: IdentityFields) => Record<string, unknown>

function serializeFields (fields: object): string {
  let json = ''
  for (const key of Object.keys(fields)) {
    const value = JSON.stringify((fields as Record<string, unknown>)[key])
    if (value !== undefined) json += `,${JSON.stringify(key)}:${value}`
  }
  return json
}

/**
 * Serializes the identity once per logger, in the order every record carries it. `pid` and
 * `hostname` are pino's (its `base`): they are written here, at pino's place for them, only when
 * the logger leaves pino's `base` and `formatters.bindings` at their defaults.
 */
export function serializeIdentity (proc: ProcessInfo, thread: ThreadInfo, withPinoBase: boolean,
  format?: IdentityFormatter): string {
  const head = withPinoBase ? serializeFields({ pid: proc.pid, hostname: proc.hostname }) : ''
  const own: IdentityFields = proc.worker === undefined
    ? { ppid: proc.ppid, proc: proc.proc, tid: thread.tid, thread: thread.thread }
    : { ppid: proc.ppid, proc: proc.proc, tid: thread.tid, thread: thread.thread, worker: proc.worker }
  return head + serializeFields(format === undefined ? own : format(own))
}

/** pino's `timestamp` option: epoch milliseconds when `true` or absent, no time when `false`, or a function. */
export type TimestampOption = boolean | (() => string) | undefined

// seq's last digit as a string, without formatting a number: see createHeadFormatter.
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']

/**
 * Returns a function giving a record's head, `time + identity + ',"seq":' + n`. Formatting numbers is
 * the costliest part of it (V8 formats a number missing from its small cache in its runtime: about 9 %
 * of a whole log call for `seq` alone), and both numbers change on almost every record. So the head up
 * to seq's last digit is kept as a string, rebuilt only when the millisecond or `n / 10` changes (about
 * once every 10 records), and the last digit comes from a table.
 */
function createHeadFormatter (timestamp: TimestampOption, identity: string): (n: number) => string {
  let cachedMs = -1
  let cachedTens = -1
  let cached = ''
  if (typeof timestamp === 'function') {
    // A user's time is opaque, so it is called for every record: only the rest is cached.
    return (n) => {
      const tens = Math.floor(n / 10)
      if (tens !== cachedTens) {
        cachedTens = tens
        cached = identity + ',"seq":' + (tens === 0 ? '' : tens)
      }
      return timestamp() + cached + DIGITS[n % 10]
    }
  }
  const withTime = timestamp !== false
  return (n) => {
    const ms = withTime ? Date.now() : 0
    const tens = Math.floor(n / 10)
    if (ms !== cachedMs || tens !== cachedTens) {
      cachedMs = ms
      cachedTens = tens
      // Below 10, seq is its last digit alone: 7, not 07.
      cached = (withTime ? ',"time":' + ms : '') + identity + ',"seq":' + (tens === 0 ? '' : tens)
    }
    return cached + DIGITS[n % 10]
  }
}

/**
 * Adds the active OpenTelemetry span's fields after the context's, unless the context carries
 * trace fields itself (a scope restored from captureContext() in a worker): the request's trace wins,
 * and a key is written once.
 */
function withTrace (prefix: (this: object) => string, trace: () => string, armed: () => boolean): (this: object) => string {
  return function () {
    const head = prefix.call(this)
    if (!armed()) return head
    return currentFrame()?.entries.has('trace_id') === true ? head : head + trace()
  }
}

/**
 * Builds a logger's pino `timestamp` hook. Its string is placed right after `"level"`, so it is where
 * a record gets `time`, the identity, `seq`, the caller location and the async context, for the price
 * of a few string concatenations (the identity is serialized once, and the head cached: see
 * createHeadFormatter). pino also calls it once while constructing the logger, to find the time's
 * offset: that probe must not consume a `seq`, hence `arm()`.
 */
export function createRecordPrefix (timestamp: TimestampOption, identity: string, context: boolean, caller = false) {
  const formatHead = createHeadFormatter(timestamp, identity)
  let armed = false
  // pino calls the hook as a method of the logger writing the record: a child has its own bindings
  // and serializers, which its context fields follow.
  const contextOf = (logger: object): string => {
    const frame = currentFrame()
    return frame === undefined || frame.json === '' ? '' : contextJson(logger, frame, callFields)
  }
  // One function per combination, so that a logger without an option pays nothing for it.
  let prefix: (this: object) => string
  if (context && caller) {
    prefix = function () { return armed ? formatHead(++seq) + callerFields + contextOf(this) : formatHead(seq) }
  } else if (context) {
    prefix = function () { return armed ? formatHead(++seq) + contextOf(this) : formatHead(seq) }
  } else if (caller) {
    prefix = () => armed ? formatHead(++seq) + callerFields : formatHead(seq)
  } else {
    prefix = () => armed ? formatHead(++seq) : formatHead(seq)
  }
  const trace = context ? createTraceStep() : undefined
  if (trace !== undefined) prefix = withTrace(prefix, trace, () => armed)
  return { timestamp: prefix as () => string, arm: () => { armed = true } }
}

/**
 * Sets the caller fields for the record about to be written (see createCallerLocator) and returns
 * the previous ones, to be put back: a log call made while writing another (in a user's
 * `hooks.logMethod`) must not take or erase the outer call's location.
 */
export function swapCallerFields (json: string): string {
  const previous = callerFields
  callerFields = json
  return previous
}

/**
 * Called before a log call: its own fields shadow context fields of the same name, so that the
 * record carries the call's values only (no duplicate keys, which some aggregators reject).
 */
export function shadowContextFields (fields: unknown): void {
  if (typeof fields !== 'object' || fields === null || fields instanceof Error) return
  callFields = fields
}

/** Undoes {@link shadowContextFields} and, for a call that wrote nothing, gives its `seq` back. */
export function endLogCall (seqBefore: number | undefined): void {
  callFields = undefined
  if (seqBefore !== undefined) seq = seqBefore
}

/** The current value of the thread's record counter. */
export function currentSeq (): number {
  return seq
}
