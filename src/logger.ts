import pino, { type Logger } from 'pino'
import { createCallerHook } from './context/caller.ts'
import { createRecordPrefix, serializeIdentity } from './context/enrich.ts'
import { resolveProcessInfo } from './context/process-info.ts'
import { resolveThreadInfo } from './context/thread-info.ts'
import { connectToHub } from './hub/hub-client.ts'
import { resolveHubRecordSettings } from './hub/hub-records.ts'
import { installExitHandlers } from './lifecycle/exit.ts'
import { watchWorkerExits } from './lifecycle/thread-events.ts'
import { resolveOptions, type ResolvedOptions, type ThreadlogOptions } from './options.ts'
import { createLogMethodGuard, type LogMethodHook } from './safety/guard.ts'

/** The logger's `hooks.logMethod`: threadlog's guard, around the user's hook, inside the caller lookup. */
function guardLogMethod (resolved: ResolvedOptions, userHook: LogMethodHook | undefined): LogMethodHook {
  const guard = createLogMethodGuard(resolved.context, userHook)
  return resolved.caller ? createCallerHook(guard, resolved.callerIgnore, resolved.context) : guard
}

/**
 * Creates a pino logger whose records carry the process and thread identity, a per-thread `seq`
 * and the current async context, and travel through this thread's ring to the process's hub.
 * Every pino option keeps its meaning.
 *
 * @throws {TypeError | RangeError} when an option is invalid; the message names it.
 */
export function createLogger (options: ThreadlogOptions = {}): Logger {
  const resolved = resolveOptions(options)
  const {
    name, threadName, context, destination, targets, overflow, ringSize, flushTimeoutMs, logUncaught, exportHub,
    caller, callerIgnore,
    ...pinoOptions
  } = options
  const processInfo = resolveProcessInfo(resolved.name)
  const threadInfo = resolveThreadInfo(resolved.threadName)
  const link = resolved.destination === undefined
    ? connectToHub(resolved, threadInfo.thread, resolved.targets, processInfo, resolveHubRecordSettings(pinoOptions))
    : undefined
  const prefix = createRecordPrefix(pinoOptions.timestamp, serializeIdentity(processInfo, threadInfo),
    resolved.context, resolved.caller)
  const { pid, hostname, ...base } = pinoOptions.base ?? {}
  const logger = pino({
    ...pinoOptions,
    base,
    timestamp: prefix.timestamp,
    hooks: {
      ...pinoOptions.hooks,
      logMethod: guardLogMethod(resolved, pinoOptions.hooks?.logMethod as LogMethodHook | undefined)
    }
  }, resolved.destination ?? link?.destination)
  prefix.arm()
  if (link !== undefined) {
    watchWorkerExits()
    installExitHandlers(link, {
      flushTimeoutMs: resolved.flushTimeoutMs,
      logUncaught: resolved.logUncaught ? logger : undefined
    })
  }
  return logger
}
