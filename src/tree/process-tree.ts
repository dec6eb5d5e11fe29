// Which hub a process's records go to: its own (the root of a process tree) or its root's, over a socket.
import { chmodSync, existsSync, mkdtempSync, rmSync, writeSync } from '../node-fs.ts'
import { tmpdir } from 'node:os'
import { dirname, isAbsolute, join, resolve } from 'node:path'

/**
 * The environment variable through which a root process tells its descendants where its hub
 * listens. Children inherit it through `fork`, `spawn`, `cluster.fork` and their own children, so
 * grandchildren reach the root directly.
 */
export const HUB_ENV = 'THREADLOG_HUB'

/** Linux's limit for a unix socket path (sun_path) is 108 bytes, the last a NUL. */
const MAX_SOCKET_PATH = 107

/** Where this process's hub sends records: to the root's socket, or it is a root listening on one. */
export type HubRole =
  | { readonly kind: 'relay', readonly path: string }
  | { readonly kind: 'root', readonly socket: { readonly dir: string, readonly path: string } | undefined }

let socketDir: string | undefined
/** The `exportHub` the process was configured with: the first main-thread logger's that passed one. */
let exportSetting: boolean | undefined

/**
 * A fresh private directory holding the socket path: the directory is 0700 (mkdtemp's mode, set
 * again in case a umask or filesystem widened it) and the socket is made 0600 once bound, so no other
 * user can connect. Removed by {@link removeHubSocket} when the process exits.
 */
function createSocketPath (): { dir: string, path: string } {
  // Absolute: children may run in another directory, and the root may chdir before it removes it.
  let parent = resolve(tmpdir())
  // A long TMPDIR would not fit a socket path; /tmp always does.
  if (join(parent, 'threadlog-hub-XXXXXX', 'hub.sock').length > MAX_SOCKET_PATH) parent = '/tmp'
  const dir = mkdtempSync(join(parent, 'threadlog-hub-'))
  chmodSync(dir, 0o700)
  socketDir = dir
  return { dir, path: join(dir, 'hub.sock') }
}

/**
 * Decides this process's role, once, when its hub starts. A process that inherited a live root's
 * socket relays to it (and, with `exportHub: false`, hides it from its own children). A process
 * without one is a root: unless `exportHub` is false, it exports a fresh socket for its children.
 * A variable left over from a root that is gone (its directory removed) is ignored, with a note.
 * `exportHub` undefined: nobody configured it yet (a worker logged first); the default applies.
 */
export function resolveHubRole (exportHub: boolean | undefined): HubRole {
  exportSetting = exportHub
  const inherited = process.env[HUB_ENV]
  if (inherited !== undefined && inherited !== '') {
    if (exportHub === false) delete process.env[HUB_ENV]
    if (isAbsolute(inherited) && existsSync(dirname(inherited))) return { kind: 'relay', path: inherited }
    writeSync(2, `threadlog: ${HUB_ENV} names ${inherited}, but no root hub is there; process ${process.pid} logs on its own\n`)
  }
  if (exportHub === false) {
    delete process.env[HUB_ENV]
    return { kind: 'root', socket: undefined }
  }
  try {
    const socket = createSocketPath()
    process.env[HUB_ENV] = socket.path
    return { kind: 'root', socket }
  } catch (error) {
    writeSync(2, `threadlog: cannot create the hub's socket for child processes (${(error as Error).message}); ` +
      'they will log on their own\n')
    delete process.env[HUB_ENV]
    return { kind: 'root', socket: undefined }
  }
}

/**
 * Applies the `exportHub` of a main-thread logger created after the hub started. The first one
 * given configures the process: `false` then stops exporting (children started from now on log on
 * their own; those connected stay). A later, different value throws. Returns whether the hub must
 * stop listening.
 */
export function configureExport (exportHub: boolean | undefined): boolean {
  if (exportHub === undefined || exportHub === exportSetting) return false
  if (exportSetting !== undefined) {
    throw new Error(`threadlog: option "exportHub" is ${exportHub}, but this process's hub was configured with ` +
      `${exportSetting}; it is decided once per process, by the first main-thread logger that passes it`)
  }
  exportSetting = exportHub
  if (exportHub) return false // the default the hub already runs with
  delete process.env[HUB_ENV]
  // The directory stays until exit: the hub may be binding its socket in it right now.
  return socketDir !== undefined
}

/** Removes the root's socket directory (exit paths); children still connected fall back to stderr. */
export function removeHubSocket (): void {
  if (socketDir === undefined) return
  try {
    rmSync(socketDir, { recursive: true, force: true })
  } catch {
    // Runs on the exit path: a directory that cannot be removed must not turn into an exit error.
  }
  socketDir = undefined
}
