// Finding the running trees of this user: the registry's entries, checked, and what each hub says of its tree.
import { existsSync, lstatSync } from 'node:fs'
import { FrameType, parseControl } from '../../tree/frames.ts'
import { compileGlob } from '../../filter/glob.ts'
import { distrustRegistry, entryPaths, isProcessAlive, readEntries, registryPath, removeEntry, type RegistryEntry } from '../../live/registry.ts'
import type { TreeStatus } from '../../live/tree-status.ts'
import { HubConnection } from './hub-connection.ts'
import { LiveError } from './live-error.ts'

/** The registry this user's trees are in, or undefined when none ever registered. */
export function userRegistry (): string | undefined {
  const dir = registryPath()
  if (!existsSync(dir)) return undefined
  // Someone else's directory (or a symlink to one) could list their sockets as this user's trees.
  const distrust = distrustRegistry(dir)
  if (distrust !== undefined) throw new LiveError(`not reading the registry: ${distrust}`)
  return dir
}

/**
 * Why the entry's socket may not be trusted, or undefined: it must be where the entry's name says,
 * in the registry, a socket owned by this user. A registry writable by this user only makes a
 * planted entry unlikely; this keeps a stale or hand-made one from pointing `attach` anywhere else.
 */
function distrustSocket (dir: string, entry: RegistryEntry): string | undefined {
  if (entry.socket !== entryPaths(dir, entry.pid).socket) return `its socket ${entry.socket} is not in the registry`
  const stats = lstatSync(entry.socket, { throwIfNoEntry: false })
  if (stats === undefined) return undefined // no hub listens: found out on connecting, as a stale entry
  if (!stats.isSocket()) return `${entry.socket} is not a socket`
  const uid = process.getuid?.() ?? -1
  if (stats.uid !== uid) return `${entry.socket} belongs to uid ${stats.uid}, not to this user (${uid})`
  return undefined
}

/** The entries whose process still runs; the others are stale, and removed as they are found. */
export function liveEntries (dir: string): RegistryEntry[] {
  return readEntries(dir).filter((entry) => {
    if (isProcessAlive(entry.pid)) return true
    removeEntry(dir, entry.pid)
    return false
  })
}

const isStatus = (value: Record<string, unknown>): boolean => typeof value.pid === 'number' && typeof value.threads === 'number'

/** A tree's status as its hub reports it; undefined when no hub listens there any more (the entry is removed). */
export async function askStatus (dir: string, entry: RegistryEntry): Promise<TreeStatus | undefined> {
  checkSocket(dir, entry)
  let connection: HubConnection
  try {
    connection = await HubConnection.open(entry.socket)
  } catch {
    // The pid lives on (reused, or the hub is gone while its process runs): the entry is stale.
    removeEntry(dir, entry.pid)
    return undefined
  }
  try {
    connection.send(FrameType.STATUS, JSON.stringify({ id: 1 }))
    const frame = await connection.answer(`process ${entry.pid}`)
    const { id: _id, ...status } = parseControl<TreeStatus & { id: number }>(frame.payload, isStatus, 'STATUS_REPORT')
    return status
  } finally {
    connection.close()
  }
}

/**
 * The one running tree `spec` names: a root pid, or a process name (a glob). Throws, naming the
 * candidates, when none or several match.
 */
export function findTree (spec: string): { dir: string, entry: RegistryEntry } {
  const dir = userRegistry()
  const entries = dir === undefined ? [] : liveEntries(dir)
  const byPid = /^\d+$/.test(spec)
  let matching: RegistryEntry[]
  if (byPid) {
    matching = entries.filter((entry) => entry.pid === Number(spec))
  } else {
    const glob = compileGlob(spec)
    if (typeof glob === 'string') throw new LiveError(`'${spec}' is not a process name pattern: ${glob}`)
    matching = entries.filter((entry) => glob.test(entry.proc))
  }
  const [only] = matching
  if (dir === undefined || only === undefined) {
    throw new LiveError(`no running threadlog process tree is ${byPid ? 'pid' : 'named'} ${spec} (see threadlog ps)`)
  }
  if (matching.length > 1) {
    throw new LiveError(`${matching.length} running trees are named ${spec}: ${matching.map((entry) => `${entry.proc} (pid ${entry.pid})`).join(', ')}; give a pid`)
  }
  checkSocket(dir, only)
  return { dir, entry: only }
}

function checkSocket (dir: string, entry: RegistryEntry): void {
  const distrust = distrustSocket(dir, entry)
  if (distrust !== undefined) throw new LiveError(`process ${entry.pid}: ${distrust}`)
}
