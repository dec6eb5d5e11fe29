import { isMainThread } from 'node:worker_threads'
import type { Logger } from 'pino'
import type { HubLink } from '../hub/hub-client.ts'
import { removeHubSocket } from '../hub/process-tree.ts'
import type { ExitStatus } from '../hub/targets.ts'
import { flushAllSync } from './flush.ts'

export interface ExitSettings {
  readonly flushTimeoutMs: number
  /** Logs an uncaught exception as `fatal` (with its stack) before Node handles it as usual. */
  readonly logUncaught: Logger | undefined
}

const EXIT_SIGNALS = ['SIGINT', 'SIGTERM'] as const
let installed = false

/** The last flush of the main thread: everything written, targets closed, the children's socket gone. */
function flushOnExit (timeoutMs: number, status: ExitStatus): void {
  flushAllSync(timeoutMs, true, status)
  removeHubSocket()
}

function flushOnSignal (signal: NodeJS.Signals, timeoutMs: number): void {
  const handler = () => {
    const alone = process.listenerCount(signal) === 1
    if (!alone) {
      // The application handles the signal: threadlog only flushes, the process may well go on.
      flushAllSync(timeoutMs, false)
      return
    }
    flushOnExit(timeoutMs, { signal })
    // Nobody else listens: exit the way Node would have without this handler (128 + signal).
    process.removeListener(signal, handler)
    process.kill(process.pid, signal)
  }
  process.on(signal, handler)
}

/**
 * Makes the exit paths lose nothing, once per thread: the main thread flushes the hub on `exit`
 * and on SIGINT/SIGTERM; a worker makes sure the hub has its ring and closes it with its exit code. An uncaught exception is
 * logged as fatal first, without changing how Node handles it.
 */
export function installExitHandlers (link: HubLink, settings: ExitSettings): void {
  if (installed) return
  installed = true
  if (settings.logUncaught !== undefined) {
    const logger = settings.logUncaught
    process.on('uncaughtExceptionMonitor', (error, origin) => { logger.fatal({ err: error, origin }, 'uncaught exception') })
  }
  if (isMainThread) {
    process.on('exit', (exitCode) => flushOnExit(settings.flushTimeoutMs, { exitCode }))
    for (const signal of EXIT_SIGNALS) flushOnSignal(signal, settings.flushTimeoutMs)
  } else {
    process.on('exit', (code) => link.closeOnExit(code))
  }
}
