import { currentFrame, type ContextFrame } from './async-context.ts'
import type { ProcessInfo } from './process-info.ts'
import type { ThreadInfo } from './thread-info.ts'

// Module state is per thread (every worker loads its own copy), which is exactly the scope of `seq`:
// one counter shared by all loggers and child loggers of the thread, so a reader can detect gaps.
let seq = 0
// The context string for the one record being written when its call fields shadow context fields.
let shadowedContext: string | undefined
// `,"caller":…,"fn":…` of the one record being written, by a logger with the `caller` option.
let callerFields = ''

/** Serializes the identity fields once per logger, in the order every record carries them. */
export function serializeIdentity (proc: ProcessInfo, thread: ThreadInfo): string {
  const fields = { ...proc, ...thread }
  let json = ''
  for (const key of ['pid', 'ppid', 'hostname', 'proc', 'tid', 'thread', 'worker'] as const) {
    if (fields[key] !== undefined) json += `,"${key}":${JSON.stringify(fields[key])}`
  }
  return json
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
 * Builds a logger's pino `timestamp` hook. Its string is placed right after `"level"`, so it is where
 * a record gets `time`, the identity, `seq`, the caller location and the async context, for the price
 * of a few string concatenations (the identity is serialized once, and the head cached: see
 * createHeadFormatter). pino also calls it once while constructing the logger, to find the time's
 * offset: that probe must not consume a `seq`, hence `arm()`.
 */
export function createRecordPrefix (timestamp: TimestampOption, identity: string, context: boolean, caller = false) {
  const formatHead = createHeadFormatter(timestamp, identity)
  let armed = false
  // One closure per combination, so that a logger without an option pays nothing for it.
  let prefix: () => string
  if (context && caller) {
    prefix = () => armed ? formatHead(++seq) + callerFields + (shadowedContext ?? currentFrame()?.json ?? '') : formatHead(seq)
  } else if (context) {
    prefix = () => armed ? formatHead(++seq) + (shadowedContext ?? currentFrame()?.json ?? '') : formatHead(seq)
  } else if (caller) {
    prefix = () => armed ? formatHead(++seq) + callerFields : formatHead(seq)
  } else {
    prefix = () => armed ? formatHead(++seq) : formatHead(seq)
  }
  return { timestamp: prefix, arm: () => { armed = true } }
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

function contextWithout (frame: ContextFrame, fields: object): string {
  let json: string | undefined
  for (const key of frame.entries.keys()) {
    if ((fields as Record<string, unknown>)[key] === undefined) continue
    // Rare path: a call field shadows a context field, so this record gets the context minus it.
    json = ''
    for (const [other, entry] of frame.entries) {
      if ((fields as Record<string, unknown>)[other] === undefined) json += entry
    }
    break
  }
  return json ?? frame.json
}

/**
 * Called before a log call: when the call's own fields shadow context fields, the record carries
 * the call's values only (no duplicate keys, which some aggregators reject).
 */
export function shadowContextFields (fields: unknown): void {
  if (typeof fields !== 'object' || fields === null || fields instanceof Error) return
  const frame = currentFrame()
  if (frame !== undefined && frame.json !== '') shadowedContext = contextWithout(frame, fields)
}

/** Undoes {@link shadowContextFields} and, for a call that wrote nothing, gives its `seq` back. */
export function endLogCall (seqBefore: number | undefined): void {
  shadowedContext = undefined
  if (seqBefore !== undefined) seq = seqBefore
}

/** The current value of the thread's record counter. */
export function currentSeq (): number {
  return seq
}
