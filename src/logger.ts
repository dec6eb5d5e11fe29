import pino, { type Logger } from 'pino'
import { createRecordPrefix, serializeIdentity } from './context/enrich.ts'
import { resolveProcessInfo } from './context/process-info.ts'
import { resolveThreadInfo } from './context/thread-info.ts'
import { resolveOptions, type ThreadlogOptions } from './options.ts'
import { createLogMethodGuard, type LogMethodHook } from './safety/guard.ts'
import { openLocalSink } from './sink/local-sink.ts'

const epochTime = () => ',"time":' + Date.now()
const noTime = () => ''

function userTimestamp (timestamp: ThreadlogOptions['timestamp']): () => string {
  if (typeof timestamp === 'function') return timestamp
  return timestamp === false ? noTime : epochTime
}

/**
 * Creates a pino logger whose records carry the process and thread identity, a per-thread `seq`
 * and the current async context. Every pino option keeps its meaning.
 *
 * @throws {TypeError | RangeError} when an option is invalid; the message names it.
 */
export function createLogger (options: ThreadlogOptions = {}): Logger {
  const resolved = resolveOptions(options)
  const { name, threadName, context, destination, ...pinoOptions } = options
  const identity = serializeIdentity(resolveProcessInfo(resolved.name), resolveThreadInfo(resolved.threadName))
  const prefix = createRecordPrefix(userTimestamp(pinoOptions.timestamp), identity, resolved.context)
  const userHook = pinoOptions.hooks?.logMethod as LogMethodHook | undefined
  const { pid, hostname, ...base } = pinoOptions.base ?? {}
  const logger = pino({
    ...pinoOptions,
    base,
    timestamp: prefix.timestamp,
    hooks: { ...pinoOptions.hooks, logMethod: createLogMethodGuard(resolved.context, userHook) }
  }, resolved.destination ?? openLocalSink())
  prefix.arm()
  return logger
}
