// A child process's hub writes to the root hub instead of opening targets: this is its one target.
import { once } from 'node:events'
import { existsSync, writeSync } from 'node:fs'
import { connect, type Socket } from 'node:net'
import { dirname } from 'node:path'
import { setTimeout as delay } from 'node:timers/promises'
import type { ProcessInfo } from '../context/process-info.ts'
import { RecordBatch } from '../ring/record-batch.ts'
import {
  FRAME_HEADER_BYTES, FrameDecoder, FrameType, MAX_FRAME_BYTES, PROTOCOL_VERSION, encodeFrame, isFilter, isSync, parseControl, type ProcessReport
} from '../tree/frames.ts'
import { applyFilterToProcess } from '../filter/process-filter.ts'
import { DEFAULT_FLUSH_TIMEOUT_MS } from '../options.ts'
import { awaitDrain } from './stream-drain.ts'
import type { ExitStatus, OpenTarget } from './open-target.ts'

/** What this process's hub counts of itself, for the root's `threadlog ps` (frames.ts ProcessReport). */
export type ProcessCounts = Omit<ProcessReport, 'id'>

/** Bytes of records per RECORDS frame: large enough to amortize a write, small enough to interleave fairly. */
const FRAME_BYTES = 256 * 1024
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
 * The relay as a target. Whatever the root cannot take — it is gone, or one record is larger than a
 * frame may be — goes to the fallback (NDJSON on this process's stderr), announced on stderr.
 */
class Relay implements OpenTarget {
  readonly name = 'root hub'
  readonly minLevel = 0
  failed = false
  readonly #socket: Socket | undefined
  readonly #pid: number
  readonly #openFallback: () => OpenTarget
  readonly #report: () => ProcessCounts
  #fallback: OpenTarget | undefined
  /** Set once the root is gone: every record goes to stderr from then on. */
  #gone = false
  /** Set once this side said goodbye: the connection closing then is expected. */
  #ended = false
  /** Why the root closed this connection, when it said so (a REFUSED frame). */
  #refusal: string | undefined
  /** SYNC and EXIT frames waiting for the root's SYNCED; all released at once if the root goes. */
  readonly #waiting = new Map<number, () => void>()
  #nextId = 1
  /**
   * Settled once the root has answered this process's HELLO (or is gone). No record is sent before:
   * a root that refuses the HELLO does so before any record could be lost in a closing connection.
   * The hub does not wait for it to start, so that an exit flush can time out and say so.
   */
  #accepted: Promise<void> = Promise.resolve()
  /**
   * Settled once every `write` called so far has handed its frames to the socket (or its records
   * to stderr). A SYNC or EXIT waits for it: sent earlier, it would overtake records still waiting
   * for the root's welcome, and its answer would not cover them.
   */
  #sent: Promise<unknown> = Promise.resolve()

  constructor (connected: Socket | Error, path: string, identity: ProcessInfo, openFallback: () => OpenTarget, report: () => ProcessCounts) {
    this.#pid = identity.pid
    this.#openFallback = openFallback
    this.#report = report
    if (connected instanceof Error) {
      this.#socket = undefined
      this.#switchToStderr(`no root hub answers at ${path} (${connected.message})`)
      return
    }
    this.#socket = connected
    this.#listen(connected)
    connected.write(encodeFrame(FrameType.HELLO, JSON.stringify({
      v: PROTOCOL_VERSION, pid: identity.pid, ppid: identity.ppid, proc: identity.proc, worker: identity.worker
    })))
    this.#accepted = this.#roundTrip(FrameType.SYNC, {})
  }

  #listen (socket: Socket): void {
    const decoder = new FrameDecoder()
    socket.on('data', (chunk: Buffer) => {
      try {
        for (const frame of decoder.push(chunk)) {
          if (frame.type === FrameType.REFUSED) {
            this.#refusal = frame.payload.toString('utf8')
            continue
          }
          if (frame.type === FrameType.STATUS) {
            const { id } = parseControl<{ id: number }>(frame.payload, isSync, 'STATUS')
            socket.write(encodeFrame(FrameType.STATUS_REPORT, JSON.stringify({ id, ...this.#report() })))
            continue
          }
          if (frame.type === FrameType.FILTER) {
            this.#applyFilter(socket, parseControl<{ id: number, text: string }>(frame.payload, isFilter, 'FILTER'))
            continue
          }
          const { id } = parseControl<{ id: number }>(frame.payload, isSync, 'SYNCED')
          this.#waiting.get(id)?.()
          this.#waiting.delete(id)
        }
      } catch (error) {
        socket.destroy(error as Error)
      }
    })
    socket.on('error', () => {}) // 'close' follows, with what it means for us
    socket.on('close', () => {
      if (this.#ended) return
      this.#switchToStderr(this.#refusal === undefined
        ? `the root hub is gone (${socket.errored?.message ?? 'it closed the connection'})`
        : `the root hub refused this process (${this.#refusal})`)
    })
  }

  /** The root's setFilter: applied in every thread of this process, then answered (even if some thread was late). */
  #applyFilter (socket: Socket, { id, text }: { id: number, text: string }): void {
    const answer = () => { if (!socket.destroyed) socket.write(encodeFrame(FrameType.FILTER_APPLIED, JSON.stringify({ id }))) }
    applyFilterToProcess(text, 'the root hub\'s setFilter', DEFAULT_FLUSH_TIMEOUT_MS).then(answer, (error: Error) => {
      writeSync(2, `threadlog: ${error.message}\n`)
      answer()
    })
  }

  #stderr (): OpenTarget {
    this.#fallback ??= this.#openFallback()
    return this.#fallback
  }

  #switchToStderr (reason: string): void {
    if (this.#gone) return
    this.#gone = true
    writeSync(2, `threadlog: ${reason}; process ${this.#pid} writes its records to stderr as NDJSON from now on\n`)
    for (const release of this.#waiting.values()) release()
    this.#waiting.clear()
  }

  /** Sends records `[from, to)` of `batch` in one frame; what the socket could not take goes to stderr instead. */
  #send (socket: Socket, batch: RecordBatch, from: number, to: number): void {
    if (from === to) return
    const frame = encodeFrame(FrameType.RECORDS, batch.bytes(from, to))
    socket.write(frame, (error) => {
      if (error === undefined || error === null) return
      this.#switchToStderr(`the root hub is gone (${error.message})`)
      void this.#stderr().write(RecordBatch.fromLines(frame.subarray(FRAME_HEADER_BYTES)))
    })
  }

  /** Sends a control frame and resolves once the root has written every record sent before it. */
  async #roundTrip (type: typeof FrameType.SYNC | typeof FrameType.EXIT, fields: object): Promise<void> {
    if (this.#gone || this.#socket === undefined) return
    const id = this.#nextId++
    const answered = new Promise<void>((resolve) => this.#waiting.set(id, resolve))
    this.#socket.write(encodeFrame(type, JSON.stringify({ id, ...fields })))
    await answered
  }

  async write (batch: RecordBatch): Promise<void> {
    const sending = this.#sendBatch(batch)
    this.#sent = Promise.all([this.#sent, sending]).catch(() => {})
    await sending
    // The root's pace reaches this process: the hub waits here, the rings fill, threads block or drop.
    if (this.#socket !== undefined && !this.#gone) await awaitDrain(this.#socket)
  }

  async #sendBatch (batch: RecordBatch): Promise<void> {
    await this.#accepted
    const socket = this.#socket
    if (this.#gone || socket === undefined) return await this.#stderr().write(batch)
    // Records [first, index) make the next frame.
    let first = 0
    for (let index = 0; index < batch.count; index++) {
      const size = batch.endOf(index) - batch.startOf(index)
      if (size > MAX_FRAME_BYTES) {
        this.#send(socket, batch, first, index)
        writeSync(2, `threadlog: a record of ${size} bytes is larger than the root hub takes; written to stderr\n`)
        await this.#stderr().write(batch.slice(index, index + 1))
        first = index + 1
      } else if (index > first && batch.endOf(index) - batch.startOf(first) > FRAME_BYTES) {
        this.#send(socket, batch, first, index)
        first = index
      }
    }
    this.#send(socket, batch, first, batch.count)
  }

  async flush (): Promise<void> {
    await this.#sent
    await this.#roundTrip(FrameType.SYNC, {})
  }

  async close (status?: ExitStatus): Promise<void> {
    await this.#sent
    await this.#roundTrip(FrameType.EXIT, status ?? {})
    this.#ended = true
    this.#socket?.end()
    await this.#fallback?.close()
  }
}

/** Opens the relay to the root hub listening at `path`; see {@link Relay}. */
export async function openRelay (path: string, identity: ProcessInfo, openFallback: () => OpenTarget,
  report: () => ProcessCounts = () => ({ threads: 0, dropped: 0, lost: 0 })): Promise<OpenTarget> {
  return new Relay(await connectToRoot(path), path, identity, openFallback, report)
}
