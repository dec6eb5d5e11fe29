// A child process's hub writes to the root hub instead of opening targets: this is its one target.
import { once } from 'node:events'
import { existsSync, writeSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { dirname } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import type { ProcessInfo } from '../context/process-info.ts'
import { FrameDecoder, FrameType, MAX_FRAME_BYTES, PROTOCOL_VERSION, encodeFrame, isSync, parseControl } from './frames.ts'
import { awaitDrain } from './stream-drain.ts'
import type { OpenTarget } from './targets.ts'

/** Characters of records per RECORDS frame: large enough to amortize a write, small enough to interleave fairly. */
const FRAME_CHARS = 256 * 1024
/** How long a child waits for a root hub that is still starting (its socket not bound yet). */
const CONNECT_TIMEOUT_MS = 5000
const CONNECT_RETRY_MS = 20

async function connectOnce (path: string): Promise<Socket> {
  const socket = connect(path)
  await once(socket, 'connect')
  return socket
}

/**
 * Connects to the root hub. The root exports its socket's path before its hub has bound it, so a
 * child started right away may find the directory but no socket yet (ENOENT): that is retried for a
 * while. A refused connection or a vanished directory means the root is gone.
 */
async function connectToRoot (path: string): Promise<Socket | Error> {
  const deadline = Date.now() + CONNECT_TIMEOUT_MS
  for (;;) {
    try {
      return await connectOnce(path)
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code
      if (code !== 'ENOENT' || Date.now() >= deadline || !existsSync(dirname(path))) return error as Error
    }
    await delay(CONNECT_RETRY_MS)
  }
}

/**
 * Opens the relay to the root hub at `path`. Whatever the root cannot take — it is gone, or a single
 * record is larger than a frame may be — goes to `openFallback()` (NDJSON on this process's stderr),
 * announced once on stderr.
 */
export async function openRelay (path: string, identity: ProcessInfo, openFallback: () => OpenTarget): Promise<OpenTarget> {
  let stderr: OpenTarget | undefined
  /** Set once the root is gone: every record goes to stderr from then on. */
  let gone = false
  const writeToStderr = (lines: readonly string[], reason: string) => {
    writeSync(2, `threadlog: ${reason}\n`)
    stderr ??= openFallback()
    return stderr.write(lines)
  }
  const switchToStderr = (reason: string) => {
    if (gone) return
    gone = true
    writeToStderr([], `${reason}; process ${identity.pid} writes its records to stderr as NDJSON from now on`)
  }
  const connected = await connectToRoot(path)
  if (connected instanceof Error) {
    switchToStderr(`no root hub answers at ${path} (${connected.message})`)
    return { ...(stderr as OpenTarget), name: 'root hub' }
  }
  const socket = connected
  /** SYNC and EXIT frames waiting for the root's SYNCED; all settled at once if the root goes. */
  const waiting = new Map<number, () => void>()
  let nextId = 1
  /** Set once this side said goodbye: the connection closing then is expected. */
  let ended = false
  const decoder = new FrameDecoder()
  socket.on('data', (chunk: Buffer) => {
    try {
      for (const frame of decoder.push(chunk)) {
        const { id } = parseControl<{ id: number }>(frame.payload, isSync, 'SYNCED')
        waiting.get(id)?.()
        waiting.delete(id)
      }
    } catch (error) {
      socket.destroy(error as Error)
    }
  })
  socket.on('error', () => {}) // 'close' follows, with what it means for us
  socket.on('close', () => {
    if (ended) return
    switchToStderr(`the root hub is gone (${socket.errored?.message ?? 'it closed the connection'})`)
    for (const resolve of waiting.values()) resolve()
    waiting.clear()
  })
  socket.write(encodeFrame(FrameType.HELLO, JSON.stringify({
    v: PROTOCOL_VERSION, pid: identity.pid, ppid: identity.ppid, proc: identity.proc, worker: identity.worker
  })))

  /** Writes one frame; records the socket could not take go to stderr instead. */
  const send = (chunk: string) => {
    socket.write(encodeFrame(FrameType.RECORDS, chunk), (error) => {
      if (error === undefined || error === null) return
      switchToStderr(`the root hub is gone (${error.message})`)
      void (stderr as OpenTarget).write([chunk])
    })
  }
  /** Sends a control frame and resolves once the root has written every record sent before it. */
  const roundTrip = async (type: typeof FrameType.SYNC | typeof FrameType.EXIT, fields: object) => {
    if (gone) return
    const id = nextId++
    const answered = new Promise<void>((resolve) => waiting.set(id, resolve))
    socket.write(encodeFrame(type, JSON.stringify({ id, ...fields })))
    await answered
  }

  return {
    name: 'root hub',
    minLevel: 0,
    failed: false,
    write: async (lines) => {
      if (gone) return (stderr as OpenTarget).write(lines)
      let chunk = ''
      for (const line of lines) {
        // UTF-8 takes at most 3 bytes per UTF-16 unit: only a huge line needs its exact size.
        if (line.length * 3 > MAX_FRAME_BYTES && Buffer.byteLength(line) > MAX_FRAME_BYTES) {
          await writeToStderr([line], `a record of ${Buffer.byteLength(line)} bytes is larger than the root hub takes; written to stderr`)
          continue
        }
        if (chunk.length > 0 && chunk.length + line.length > FRAME_CHARS) {
          send(chunk)
          chunk = ''
        }
        chunk += line
      }
      if (chunk.length > 0) send(chunk)
      // The root's pace reaches this process: the hub waits here, the rings fill, threads block or drop.
      await awaitDrain(socket)
    },
    flush: async () => { await roundTrip(FrameType.SYNC, {}) },
    close: async (status) => {
      await roundTrip(FrameType.EXIT, status ?? {})
      ended = true
      socket.end()
      await stderr?.close()
    }
  }
}
