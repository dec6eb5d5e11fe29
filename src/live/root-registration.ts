// The main thread's half of the registry: decides whether this root registers, and unregisters on exit.
import { writeSync } from '../node-fs.ts'
import { entryPaths, openRegistry, registryEnabled, removeEntry, type RegistryEntry } from './registry.ts'

/** What the hub needs to open its attach socket and announce itself once it listens. */
export interface LiveSettings {
  readonly dir: string
  readonly entry: RegistryEntry
}

/** The registry this process wrote its entry in, for {@link unregisterRoot}. */
let registeredIn: string | undefined

/**
 * For a root hub about to start: where its attach socket and entry go, or undefined when the
 * registry is off or cannot be trusted (said once on stderr: the service runs on, unlisted).
 * Files of an earlier process with this pid are removed first: they can only be stale.
 */
export function prepareRegistration (option: boolean | undefined, proc: string): LiveSettings | undefined {
  if (!registryEnabled(option)) return undefined
  let dir: string
  try {
    dir = openRegistry()
  } catch (error) {
    writeSync(2, `threadlog: not registering for threadlog ps/attach: ${(error as Error).message}\n`)
    return undefined
  }
  removeEntry(dir, process.pid)
  registeredIn = dir
  const startedAt = Math.round(Date.now() - process.uptime() * 1000)
  return { dir, entry: { v: 1, pid: process.pid, proc, startedAt, socket: entryPaths(dir, process.pid).socket } }
}

/** Removes this root's entry and socket (exit paths): `ps` stops listing it at once. */
export function unregisterRoot (): void {
  if (registeredIn === undefined) return
  removeEntry(registeredIn, process.pid)
  registeredIn = undefined
}
