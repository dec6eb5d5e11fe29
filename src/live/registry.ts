// Where running root hubs announce themselves, so that `threadlog ps` finds them without configuration.
import { chmodSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from '../node-fs.ts'
import { tmpdir } from 'node:os'
import { isAbsolute, join, resolve } from 'node:path'

/** Turns the registry off when `0` (or `false`): the process is then invisible to `threadlog ps`. */
export const REGISTRY_ENV = 'THREADLOG_REGISTRY'

/** Linux's limit for a unix socket path (sun_path) is 108 bytes, the last a NUL. */
const MAX_SOCKET_PATH = 107
/** The longest name a socket gets in the directory: `<pid>.sock`, pids up to 2^22 (Linux's pid_max). */
const LONGEST_SOCKET_NAME = '4194304.sock'

/** What a root hub writes about itself: static facts; the live numbers come from its socket. */
export interface RegistryEntry {
  readonly v: 1
  readonly pid: number
  readonly proc: string
  /** When the process started, epoch ms. */
  readonly startedAt: number
  /** The hub's attach socket. */
  readonly socket: string
}

const uid = (): number => process.getuid?.() ?? -1

/**
 * The registry's path for this user: `$XDG_RUNTIME_DIR/threadlog` (a per-user, 0700 directory the
 * login manager makes) when that is set, else `threadlog-<uid>` in the OS temp dir (in /tmp when the
 * temp dir's path is too long for socket paths in it).
 */
export function registryPath (env: NodeJS.ProcessEnv = process.env): string {
  const runtime = env.XDG_RUNTIME_DIR
  if (runtime !== undefined && isAbsolute(runtime)) return join(runtime, 'threadlog')
  const name = `threadlog-${uid()}`
  const parent = resolve(tmpdir())
  return join(parent, name, LONGEST_SOCKET_NAME).length > MAX_SOCKET_PATH ? join('/tmp', name) : join(parent, name)
}

/**
 * Why `dir` may not be trusted as this user's registry, or undefined when it may: it must be a real
 * directory (not a symlink someone planted), owned by this user, that nobody else can enter or write.
 * Another user able to write there could plant an entry pointing `ps` and `attach` at their socket.
 */
export function distrustRegistry (dir: string): string | undefined {
  const stats = lstatSync(dir)
  if (stats.isSymbolicLink() || !stats.isDirectory()) return `${dir} is not a directory`
  if (stats.uid !== uid()) return `${dir} belongs to uid ${stats.uid}, not to this user (${uid()})`
  if ((stats.mode & 0o077) !== 0) return `${dir} has mode ${(stats.mode & 0o777).toString(8)}, not 700`
  return undefined
}

/** Creates the registry (0700) unless it exists; throws with the reason when it cannot be trusted. */
export function openRegistry (env: NodeJS.ProcessEnv = process.env): string {
  const dir = registryPath(env)
  try {
    mkdirSync(dir, { mode: 0o700 })
    chmodSync(dir, 0o700) // a umask cannot widen mkdir's mode, but an ACL default could
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error
  }
  const distrust = distrustRegistry(dir)
  if (distrust !== undefined) throw new Error(distrust)
  return dir
}

/** Whether the registry is on: the option when given, else THREADLOG_REGISTRY (`0`/`false`: off), else on. */
export function registryEnabled (option: boolean | undefined, env: NodeJS.ProcessEnv = process.env): boolean {
  if (option !== undefined) return option
  const value = env[REGISTRY_ENV]?.trim().toLowerCase()
  return value !== '0' && value !== 'false'
}

/** Where process `pid` keeps its entry and socket in `dir`. */
export function entryPaths (dir: string, pid: number): { entry: string, socket: string } {
  return { entry: join(dir, `${pid}.json`), socket: join(dir, `${pid}.sock`) }
}

/** Writes the entry whole (a temporary file renamed), readable by this user only. */
export function writeEntry (dir: string, entry: RegistryEntry): void {
  const { entry: path } = entryPaths(dir, entry.pid)
  const temporary = `${path}.tmp`
  writeFileSync(temporary, JSON.stringify(entry) + '\n', { mode: 0o600 })
  renameSync(temporary, path)
}

/** Removes a process's entry and socket; never throws (it runs on exit paths and in cleanups). */
export function removeEntry (dir: string, pid: number): void {
  const { entry, socket } = entryPaths(dir, pid)
  for (const path of [entry, socket]) {
    try {
      rmSync(path, { force: true })
    } catch {
      // Gone already, or not ours to remove: either way nothing more to do.
    }
  }
}

const isEntry = (value: unknown): value is RegistryEntry => {
  const entry = value as Partial<RegistryEntry> | null
  return typeof entry === 'object' && entry !== null && entry.v === 1 && Number.isSafeInteger(entry.pid) &&
    typeof entry.proc === 'string' && typeof entry.startedAt === 'number' && typeof entry.socket === 'string'
}

/** Every well-formed entry in `dir`; a file that does not parse is skipped (it may be half written). */
export function readEntries (dir: string): RegistryEntry[] {
  const entries: RegistryEntry[] = []
  for (const name of readdirSync(dir)) {
    if (!/^\d+\.json$/.test(name)) continue
    try {
      const entry: unknown = JSON.parse(readFileSync(join(dir, name), 'utf8'))
      if (isEntry(entry) && `${entry.pid}.json` === name) entries.push(entry)
    } catch {
      // Removed meanwhile, or not an entry.
    }
  }
  return entries.sort((a, b) => a.pid - b.pid)
}

/** Whether a process with this pid exists (EPERM: it does, as another user's). */
export function isProcessAlive (pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM'
  }
}
