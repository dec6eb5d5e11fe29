import type { LogFn, Logger } from 'pino'
import { currentSeq, endLogCall, shadowContextFields } from '../context/enrich.ts'
import { describeError, toSafeValue } from './safe-value.ts'
import { passesFilter } from '../filter/filter-hook.ts'
import type { FilterBinding } from '../filter/thread-filter.ts'

/** pino's `hooks.logMethod` signature. */
export type LogMethodHook = (this: Logger, args: Parameters<LogFn>, method: LogFn, level: number) => void

let reportedBrokenDestination = false

function writeUnloggable (logger: Logger, args: unknown[], method: LogFn, cause: unknown): void {
  const msg = args.find((arg) => typeof arg === 'string') ?? 'threadlog: record could not be serialized'
  try {
    method.call(logger, { threadlogError: describeError(cause) }, msg)
  } catch (error) {
    // Not even a plain record could be written: the destination itself is failing.
    if (!reportedBrokenDestination) {
      reportedBrokenDestination = true
      process.stderr.write(`threadlog: cannot write records: ${describeError(error)}\n`)
    }
  }
}

function retryWithSafeCopies (logger: Logger, args: unknown[], method: LogFn, context: boolean): void {
  const seqBefore = currentSeq()
  const safeArgs = args.map((arg) => toSafeValue(arg)) as Parameters<LogFn>
  try {
    if (context) shadowContextFields(safeArgs[0])
    method.apply(logger, safeArgs)
    endLogCall(undefined)
  } catch (error) {
    endLogCall(seqBefore)
    writeUnloggable(logger, args, method, error)
  }
}

/**
 * Calls pino's log method with `args`. Spreading an array into its rest parameters (`apply`) costs
 * measurably more than a call with the arguments written out (about 3 % of a whole log call), and
 * nearly every log call has one or two arguments.
 */
function callLogMethod (logger: Logger, method: LogFn, args: Parameters<LogFn>): void {
  if (args.length === 1) method.call(logger, args[0])
  else if (args.length === 2) method.call(logger, args[0], args[1])
  else method.apply(logger, args)
}

/**
 * Builds a logger's pino `hooks.logMethod`. It makes call fields shadow context fields, and makes a
 * log call never throw nor lose its record: arguments pino cannot serialize (throwing getters,
 * hostile proxies, `%d` of a Symbol…) are retried as safe copies, and as a last resort the message is
 * written with the error that prevented the rest. The user's own hook, if any, runs inside it. With
 * `filter`, a call the filter drops ends first (checked here rather than in a hook of its own: one
 * hook less per call was ~7 % of a whole log call).
 */
export function createLogMethodGuard (context: boolean, userHook: LogMethodHook | undefined, filter?: FilterBinding): LogMethodHook {
  return function guardLogCall (args, method, level) {
    if (filter !== undefined && !passesFilter(this, level, filter)) return
    // pino writes a Symbol in the message position as a bare `undefined`: invalid JSON, no error.
    if (typeof args[0] === 'symbol' || typeof args[1] === 'symbol') {
      retryWithSafeCopies(this, args, method, context)
      return
    }
    const seqBefore = currentSeq()
    try {
      if (context) shadowContextFields(args[0])
      if (userHook === undefined) callLogMethod(this, method, args)
      else userHook.call(this, args, method, level)
      endLogCall(undefined)
    } catch {
      // Nothing was written, so the record's seq is handed back to keep the sequence gap-free.
      endLogCall(seqBefore)
      retryWithSafeCopies(this, args, method, context)
    }
  }
}
