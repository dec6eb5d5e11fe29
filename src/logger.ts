import pino, { type DestinationStream, type Logger } from 'pino'
import { createCallerHook } from './context/caller.ts'
import { createRecordPrefix, serializeIdentity } from './context/enrich.ts'
import { resolveProcessInfo } from './context/process-info.ts'
import { resolveThreadInfo } from './context/thread-info.ts'
import { connectToHub } from './hub/hub-client.ts'
import { resolveHubRecordSettings } from './hub/hub-records.ts'
import { installExitHandlers } from './lifecycle/exit.ts'
import { watchWorkerExits } from './lifecycle/thread-events.ts'
import { resolveOptions, splitLoggerArguments, type LoggerDestination, type ResolvedOptions, type ThreadlogOptions } from './options.ts'
import { createLogMethodGuard, type LogMethodHook } from './safety/guard.ts'
import { createFilterHook } from './filter/filter-hook.ts'
import { attachFilter, environmentDirectives, type FilterBinding } from './filter/thread-filter.ts'

/**
 * The logger's `hooks.logMethod`: the filter first (a record it drops costs nothing more), then the
 * caller lookup, then threadlog's guard around the user's hook. Without the caller lookup, the
 * guard checks the filter itself.
 */
function guardLogMethod (resolved: ResolvedOptions, userHook: LogMethodHook | undefined, filter: FilterBinding): LogMethodHook {
  if (!resolved.caller) return createLogMethodGuard(resolved.context, userHook, filter)
  return createFilterHook(createCallerHook(createLogMethodGuard(resolved.context, userHook), resolved.callerIgnore, resolved.context), filter)
}

/** Whether pino would write its default `pid` and `hostname`: then threadlog writes them, in their place. */
function usesPinoDefaultBase (options: ThreadlogOptions): boolean {
  return options.base === undefined && options.formatters?.bindings === undefined
}

/**
 * Creates a pino logger whose records carry the process and thread identity, a per-thread `seq`
 * and the current async context, and travel through this thread's ring to the process's hub.
 * Takes pino's own call shapes — `()`, `(options)`, `(destination)`, `(options, destination)` —
 * and every pino option keeps its meaning. A destination (a stream, `pino.destination()`,
 * `pino.multistream()`, a file path or a file descriptor) is written in this thread, as pino does,
 * instead of going through the hub.
 *
 * @throws {TypeError | RangeError} when an option is invalid; the message names it.
 */
export function createLogger (options?: ThreadlogOptions | LoggerDestination, destination?: LoggerDestination): Logger {
  const split = splitLoggerArguments(options, destination)
  const resolved = resolveOptions(split.options, split.destination)
  // A bad THREADLOG is an error at startup, like a bad option.
  environmentDirectives()
  const {
    threadName, context, destination: _destination, targets, overflow, ringSize, flushTimeoutMs, logUncaught,
    exportHub, registry, caller, callerIgnore, transport, formatters, filter,
    ...pinoOptions
  } = split.options
  const { identity: formatIdentity, ...pinoFormatters } = formatters ?? {}
  const processInfo = resolveProcessInfo(resolved.name)
  const threadInfo = resolveThreadInfo(resolved.threadName)
  const link = resolved.destination === undefined
    ? connectToHub(resolved, threadInfo.thread, resolved.targets, processInfo, resolveHubRecordSettings(pinoOptions, filter))
    : undefined
  const defaultBase = usesPinoDefaultBase(split.options)
  const filterBinding: FilterBinding = { contextThreshold: undefined }
  const prefix = createRecordPrefix(pinoOptions.timestamp,
    serializeIdentity(processInfo, threadInfo, defaultBase, formatIdentity), resolved.context, resolved.caller)
  const logger = pino({
    ...pinoOptions,
    ...(formatters === undefined ? {} : { formatters: pinoFormatters }),
    // threadlog writes pino's default pid and hostname itself (see serializeIdentity); any other
    // base is pino's to write.
    ...(defaultBase ? { base: {} } : {}),
    timestamp: prefix.timestamp,
    hooks: {
      ...pinoOptions.hooks,
      logMethod: guardLogMethod(resolved, pinoOptions.hooks?.logMethod as LogMethodHook | undefined, filterBinding)
    }
  }, (resolved.destination ?? link?.destination) as DestinationStream)
  prefix.arm()
  attachFilter(logger, { tid: threadInfo.tid, thread: threadInfo.thread, pid: processInfo.pid, proc: processInfo.proc },
    resolved.filter, filterBinding)
  if (link !== undefined) {
    watchWorkerExits()
    installExitHandlers(link, {
      flushTimeoutMs: resolved.flushTimeoutMs,
      logUncaught: resolved.logUncaught ? logger : undefined
    })
  }
  return logger
}
