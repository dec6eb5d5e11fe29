import { watch, watchFile, unwatchFile, type Stats } from 'node:fs'
import { open, stat, type FileHandle } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { LineSplitter } from './line-splitter.ts'
import type { Output } from './output.ts'

const READ_BYTES = 1024 * 1024
// A safety net for file systems whose change events do not arrive (network mounts): a slow poll.
const POLL_MS = 1000

/** The file being read: its handle, its inode (to notice a new file under the name) and how far it was read. */
interface Followed {
  handle: FileHandle
  ino: number
  position: number
}

/** Wakes the follower whenever the directory or the file changes; changes while it reads are not lost. */
class ChangeSignal {
  #pending = false
  #wake: (() => void) | undefined

  readonly notify = (): void => {
    this.#pending = true
    this.#wake?.()
  }

  async next (): Promise<void> {
    if (!this.#pending) await new Promise<void>((resolve) => { this.#wake = resolve })
    this.#wake = undefined
    this.#pending = false
  }
}

async function openFollowed (path: string): Promise<Followed | undefined> {
  try {
    const handle = await open(path, 'r')
    return { handle, ino: (await handle.stat()).ino, position: 0 }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw error
  }
}

/** Reads from where it stopped to the end of the file. Each read gets a buffer of its own: sinks may hold lines. */
async function readToEnd (file: Followed, splitter: LineSplitter, output: Output): Promise<void> {
  for (;;) {
    const buffer = Buffer.allocUnsafe(READ_BYTES)
    const { bytesRead } = await file.handle.read(buffer, 0, READ_BYTES, file.position)
    if (bytesRead === 0) return
    file.position += bytesRead
    splitter.push(buffer.subarray(0, bytesRead))
    await output.drain()
  }
}

async function statOrUndefined (path: string): Promise<Stats | undefined> {
  try {
    return await stat(path)
  } catch {
    return undefined // moved away, and the new file is not there yet: keep reading the old one
  }
}

/**
 * What became of the file since it was read to its end: truncated (read again from the start), or
 * replaced under its name by rotation (the old one was read to its end: switch to the new one).
 */
async function settle (path: string, file: Followed | undefined, splitter: LineSplitter): Promise<Followed | undefined> {
  if (file === undefined) return openFollowed(path)
  const named = await statOrUndefined(path)
  if (named !== undefined && named.ino !== file.ino) {
    splitter.finish() // the old file's last line, even without its `\n`
    await file.handle.close()
    return openFollowed(path)
  }
  if ((await file.handle.stat()).size < file.position) {
    splitter.discard()
    file.position = 0
  }
  return file
}

/**
 * `--follow`: prints the file, then what is appended to it, like `tail -F`: it survives rotation
 * (the file renamed and a new one created under the name, or removed and created again) and
 * truncation, and waits for a file that does not exist yet. It ends only with the process.
 */
export async function followFile (path: string, splitter: LineSplitter, output: Output): Promise<never> {
  const changes = new ChangeSignal()
  // The directory, not the file: a watch on the file would stay on the old inode after a rename.
  // Any name counts: after a rotation the old file, read to its end, goes by another name.
  const watcher = watch(dirname(path), { persistent: true }, changes.notify)
  watcher.on('error', changes.notify)
  watchFile(path, { interval: POLL_MS }, changes.notify)
  try {
    let file = await openFollowed(path)
    for (;;) {
      if (file !== undefined) await readToEnd(file, splitter, output)
      const next = await settle(path, file, splitter)
      if (next !== file || (next !== undefined && (await next.handle.stat()).size > next.position)) {
        file = next
        continue
      }
      await changes.next()
    }
  } finally {
    watcher.close()
    unwatchFile(path, changes.notify)
  }
}
