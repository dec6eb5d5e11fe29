import { isMainThread } from 'node:worker_threads'
import type { Logger } from 'pino'
import type { HubLink } from '../hub/hub-client.ts'
import { whenHubStarts } from '../hub/hub-starter.ts'
import { removeHubSocket } from '../tree/process-tree.ts'
import { unregisterRoot } from '../live/root-registration.ts'
import { DEFAULT_FLUSH_TIMEOUT_MS } from '../options.ts'
import type { ExitStatus } from '../targets/open-target.ts'
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
  unregisterRoot()
}

function flushOnSignal (signal: NodeJS.Signals): void {
  const handler = () => {
    const alone = process.listenerCount(signal) === 1
    if (!alone) {
      // The application handles the signal: threadlog only flushes, the process may well go on.
      flushAllSync(mainFlushTimeoutMs, false)
      return
    }
    flushOnExit(mainFlushTimeoutMs, { signal })
    // Nobody else listens: exit the way Node would have without this handler (128 + signal).
    process.removeListener(signal, handler)
    process.kill(process.pid, signal)
  }
  process.on(signal, handler)
}

/** The flush timeout of the main thread's exit paths: the first main-thread logger's. */
let mainFlushTimeoutMs = DEFAULT_FLUSH_TIMEOUT_MS
let mainInstalled = false

/** The main thread's exit paths, once: flush the hub (and remove its socket) on exit and on SIGINT/SIGTERM. */
function installMainExitFlush (): void {
  if (mainInstalled) return
  mainInstalled = true
  process.on('exit', (exitCode) => flushOnExit(mainFlushTimeoutMs, { exitCode }))
  for (const signal of EXIT_SIGNALS) flushOnSignal(signal)
}

// A hub started by a worker's registration, before any main-thread logger (or without one), must be
// flushed on exit all the same.
if (isMainThread) whenHubStarts(installMainExitFlush)

/**
 * Makes the exit paths lose nothing, once per thread: the main thread flushes the hub on `exit`
 * and on SIGINT/SIGTERM; a worker makes sure the hub has its ring and closes it with its exit code.
 * An uncaught exception is logged as fatal first, without changing how Node handles it.
 */
export function installExitHandlers (link: HubLink, settings: ExitSettings): void {
  if (installed) return
  installed = true
  if (settings.logUncaught !== undefined) {
    const logger = settings.logUncaught
    process.on('uncaughtExceptionMonitor', (error, origin) => { logger.fatal({ err: error, origin }, 'uncaught exception') })
  }
  if (isMainThread) {
    mainFlushTimeoutMs = settings.flushTimeoutMs
    installMainExitFlush()
  } else {
    process.on('exit', (code) => link.closeOnExit(code))
  }
}
