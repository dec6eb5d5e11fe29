// The root hub's door for child processes: a unix socket whose connections are sources like rings.
import { chmodSync, writeSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import {
  FRAME_HEADER_BYTES, FrameDecoder, FrameError, FrameType, encodeFrame, isExitReport, isHello, isProcessReport, isSync, parseControl,
  countRecords, PROTOCOL_VERSION, type ExitReport, type Frame, type Hello, type ProcessReport
} from './frames.ts'
import { ChildFilters } from './child-filters.ts'
import { ChildReports } from './child-reports.ts'
import { LIFECYCLE_LEVEL, WARNING_LEVEL, type HubRecorder } from '../hub/hub-records.ts'
import type { SourceCounts, StatsTable } from '../hub/stats.ts'
import type { DeferredRecord, TimeMerge } from '../hub/time-merge.ts'

/** Records and bytes a cycle took from one source: counted as written once the targets have them. */
export interface Taken {
  readonly counts: SourceCounts
  readonly records: number
  readonly bytes: number
}

/**
 * Bytes queued per connection before the root stops reading from it: the child's writes then block
 * in the kernel, its hub waits for 'drain', its rings fill, and its threads follow their overflow
 * policy. With the decoder's one partial frame, this bounds what a child can make the root hold.
 */
const QUEUE_HIGH_WATER = 1024 * 1024

/** One connected child process. */
class Connection {
  hello: Hello | undefined
  exit: ExitReport | undefined
  /**
   * Runs of records (RECORDS payloads, checked) waiting for the hub's next cycle, and this
   * connection's lifecycle records, whose seq is given where they are written.
   */
  queue: Array<Buffer | DeferredRecord> = []
  queuedBytes = 0
  /** Records received from the child; what its 'process exited' record reports. */
  received = 0
  /** Its counters in the hub's stats, from its HELLO on. */
  counts: SourceCounts | undefined
  /**
   * Queue entries taken into the hub's batches. When {@link SocketServer.written} runs, the batch is
   * written, so these are also the entries every target has written.
   */
  taken = 0
  /** SYNC or EXIT ids to answer once `taken` reaches `upTo` (and the batch is written). */
  syncs: Array<{ id: number, upTo: number }> = []
  /** Queue entries ever enqueued: a SYNC is answered, and a flush done, once `taken` reaches its mark. */
  enqueued = 0
  /** Refused, or its stream ended or closed: nothing more is read from it, nor written to it. */
  closed = false
  /** Its end has been handled (its 'process exited' queued): it may be forgotten once drained. */
  ended = false
  readonly decoder = new FrameDecoder()
  readonly socket: Socket

  constructor (socket: Socket) {
    this.socket = socket
  }

  enqueue (entry: Buffer | DeferredRecord | undefined): void {
    if (entry === undefined) return // a record below the hub's level
    this.queue.push(entry)
    if (Buffer.isBuffer(entry)) this.queuedBytes += entry.length
    this.enqueued++
  }
}

export interface SocketServerEvents {
  /** Builds the hub's own lifecycle records. */
  readonly recorder: HubRecorder
  /** Where each child's counts are kept. */
  readonly stats: StatsTable
  /** Something arrived: the hub's loop should run a cycle. */
  readonly wake: () => void
}

/**
 * Listens on a unix socket (in a directory only this user can enter; the socket itself is made
 * 0600 too) and turns every connection's frames into queued records, answered SYNCs and lifecycle records.
 */
export class SocketServer {
  readonly #connections = new Set<Connection>()
  readonly #filters = new ChildFilters<Connection>()
  readonly #reports = new ChildReports<Connection>()
  readonly #events: SocketServerEvents
  readonly #server: Server

  constructor (events: SocketServerEvents) {
    this.#events = events
    this.#server = createServer((socket) => this.#accept(socket))
    this.#server.unref()
  }

  /** Binds the socket; resolves once children can connect (or binding failed, which is reported). */
  async listen (path: string): Promise<void> {
    await new Promise<void>((resolve) => {
      const failed = (error: Error) => {
        writeSync(2, `threadlog: the hub cannot take records from child processes: ${error.message}\n`)
        resolve()
      }
      this.#server.once('error', failed)
      this.#server.listen(path, () => {
        this.#server.off('error', failed)
        // Later failures (accepting, closing) cost children their relay, never the hub its thread.
        this.#server.on('error', (error) => writeSync(2, `threadlog: the hub's socket for child processes failed: ${error.message}\n`))
        try {
          chmodSync(path, 0o600)
        } catch {
          // Only a second lock: the 0700 directory is what keeps other users out.
        }
        resolve()
      })
    })
  }

  /** Sends setFilter's directives to every connected child; resolves once each has applied them (in every thread) or is gone. */
  async setFilter (text: string): Promise<void> {
    await this.#filters.send(this.#live(), text)
  }

  /** Each connected child's own counts (`threadlog ps`), as many as answer within `timeoutMs`. */
  async reportChildren (timeoutMs: number): Promise<ProcessReport[]> {
    return await this.#reports.ask(this.#live(), timeoutMs)
  }

  #live (): Connection[] {
    return [...this.#connections].filter((c) => c.hello !== undefined && !c.closed)
  }

  /** Takes no new children (`exportHub: false` came late); those connected go on. */
  stopListening (): void {
    this.#server.close()
  }

  #accept (socket: Socket): void {
    const connection = new Connection(socket)
    this.#connections.add(connection)
    socket.on('data', (chunk: Buffer) => {
      if (connection.closed) return // refused: what it sends is not read any more
      try {
        for (const frame of connection.decoder.push(chunk)) this.#handle(connection, frame)
      } catch (error) {
        this.#refuse(connection, error)
      }
      if (connection.queuedBytes > QUEUE_HIGH_WATER) socket.pause()
      this.#events.wake()
    })
    socket.on('error', () => {}) // a child killed mid-write resets its end: 'close' follows
    // The end of the child's stream tells as soon as its socket is read (a child that is gone
    // sends nothing more); 'close' comes a few loop turns later, or alone after a reset.
    socket.on('end', () => this.#hungUp(connection))
    socket.on('close', () => this.#hungUp(connection))
  }

  /** The child's side is done (it exited, was killed, or was refused): its exit is recorded once. */
  #hungUp (connection: Connection): void {
    if (connection.ended) return
    if (!connection.closed && connection.decoder.pendingBytes > 0) this.#keepPartialFrame(connection)
    connection.closed = true
    connection.ended = true
    this.#filters.applied(connection, undefined)
    this.#reports.answered(connection, undefined)
    // A child that said EXIT has its record already; one that did not (killed, refused) gets it now.
    if (connection.hello !== undefined && connection.exit === undefined) connection.enqueue(this.#describeExit(connection))
    this.#events.wake()
  }

  #handle (connection: Connection, frame: Frame): void {
    if (connection.hello === undefined) {
      if (frame.type !== FrameType.HELLO) throw new FrameError('the first frame is not a HELLO')
      const hello = parseControl<Hello>(frame.payload, (value) => typeof value.v === 'number', 'HELLO')
      if (hello.v !== PROTOCOL_VERSION) throw new FrameError(`speaks protocol ${hello.v}, this hub ${PROTOCOL_VERSION}`)
      if (!isHello(hello as unknown as Record<string, unknown>)) throw new FrameError('HELLO frame is malformed')
      connection.hello = hello
      connection.counts = this.#events.stats.add({ source: `process ${hello.proc} (pid ${hello.pid})`, kind: 'process', pid: hello.pid })
      connection.enqueue(this.#events.recorder.record(LIFECYCLE_LEVEL, 'process connected', {
        processId: hello.pid, processName: hello.proc, parentProcessId: hello.ppid,
        ...(hello.worker === undefined ? {} : { clusterWorker: hello.worker })
      }))
      this.#filters.welcome(connection)
      return
    }
    if (frame.type === FrameType.RECORDS) {
      connection.received += countRecords(frame.payload)
      connection.enqueue(frame.payload)
    } else if (frame.type === FrameType.SYNC) {
      connection.syncs.push({ id: parseControl<{ id: number }>(frame.payload, isSync, 'SYNC').id, upTo: connection.enqueued })
    } else if (frame.type === FrameType.FILTER_APPLIED) {
      this.#filters.applied(connection, parseControl<{ id: number }>(frame.payload, isSync, 'FILTER_APPLIED').id)
    } else if (frame.type === FrameType.STATUS_REPORT) {
      this.#reports.answered(connection, parseControl<ProcessReport>(frame.payload, isProcessReport, 'STATUS_REPORT'))
    } else if (frame.type === FrameType.EXIT) {
      if (connection.exit !== undefined) throw new FrameError('a second EXIT frame')
      connection.exit = parseControl<ExitReport>(frame.payload, isExitReport, 'EXIT')
      // Logged now, after its last records, rather than when the socket closes: the root may be
      // exiting itself by then. The answer waits until this record is written too.
      connection.enqueue(this.#describeExit(connection))
      connection.syncs.push({ id: connection.exit.id, upTo: connection.enqueued })
    } else {
      throw new FrameError(`unexpected frame type ${frame.type} from a child`)
    }
  }

  /** A child killed mid-frame: its whole records are kept, the one it was cut in is reported lost. */
  #keepPartialFrame (connection: Connection): void {
    const { decoder } = connection
    let kept = 0
    const whole = connection.hello === undefined ? undefined : decoder.wholeLinesOfPartialRecords()
    try {
      if (whole !== undefined) {
        connection.received += countRecords(whole)
        connection.enqueue(whole)
        kept = FRAME_HEADER_BYTES + whole.length
      }
    } catch {
      // Not records after all: nothing of the partial frame is kept.
    }
    const cut = decoder.pendingBytes - kept
    this.#report(connection, `hung up in the middle of a frame (${cut} bytes lost)`)
    const { counts } = connection
    if (counts === undefined || cut <= 0) return
    counts.lost++
    connection.enqueue(this.#events.recorder.record(WARNING_LEVEL, `lost 1 records from ${counts.source}: its connection was cut in the middle of a record`,
      { processId: counts.pid, lost: 1, bytes: cut }))
  }

  #describeExit (connection: Connection): DeferredRecord | undefined {
    const { hello, exit } = connection
    const status = exit?.signal !== undefined ? { signal: exit.signal } : exit?.exitCode !== undefined ? { exitCode: exit.exitCode } : {}
    return this.#events.recorder.record(exit?.exitCode === 0 ? LIFECYCLE_LEVEL : WARNING_LEVEL, 'process exited', {
      processId: hello?.pid ?? 0, processName: hello?.proc ?? '', ...status, records: connection.received
    })
  }

  #report (connection: Connection, reason: string): void {
    const who = connection.hello === undefined ? 'an unidentified peer' : `process ${connection.hello.pid}`
    writeSync(2, `threadlog: closed the log connection of ${who}: ${reason}\n`)
  }

  /** A peer broke the protocol: it is told why, it is not read any more, and only its own connection ends. */
  #refuse (connection: Connection, error: unknown): void {
    const reason = error instanceof Error ? error.message : String(error)
    this.#report(connection, reason)
    connection.closed = true
    const { socket } = connection
    socket.pause()
    socket.end(encodeFrame(FrameType.REFUSED, reason), () => socket.destroy())
  }

  /**
   * A check that turns true once everything received so far has been taken into a batch: a flush
   * waits for that, not for an empty queue, which children that keep logging may never leave.
   */
  markReceived (): () => boolean {
    const marks = [...this.#connections].map((connection) => [connection, connection.enqueued] as const)
    return () => marks.every(([connection, enqueued]) => connection.taken >= enqueued)
  }

  /** Stores in each child's counts the bytes waiting in its queue. */
  countBuffered (): void {
    for (const connection of this.#connections) if (connection.counts !== undefined) connection.counts.buffered = connection.queuedBytes
  }

  hasPending (): boolean {
    for (const connection of this.#connections) if (connection.queue.length > 0) return true
    return false
  }

  /** Moves up to about `maxBytes` of each connection's queue into `merge`, one run per child, oldest first. */
  take (merge: TimeMerge, maxBytes: number, taken: Taken[]): void {
    for (const connection of this.#connections) {
      const { queue } = connection
      let bytes = 0
      let count = 0
      const records = merge.staging.count
      merge.startRun()
      for (; count < queue.length && bytes < maxBytes; count++) {
        const entry = queue[count] as Buffer | DeferredRecord
        if (Buffer.isBuffer(entry)) {
          bytes += entry.length
          merge.staging.appendLines(entry)
        } else {
          merge.appendDeferred(entry)
        }
      }
      if (count === 0) continue
      if (connection.counts !== undefined && bytes > 0) {
        // Placeholders of the hub's own records are empty: they take no bytes.
        const placeholders = queue.slice(0, count).filter((entry) => !Buffer.isBuffer(entry)).length
        taken.push({ counts: connection.counts, records: merge.staging.count - records - placeholders, bytes })
      }
      connection.queue = count === queue.length ? [] : queue.slice(count)
      connection.queuedBytes -= bytes
      connection.taken += count
    }
  }

  /** The batch taken last has been written: answer the SYNCs it covers, read again, forget the gone. */
  written (): void {
    for (const connection of this.#connections) {
      while (connection.syncs.length > 0 && (connection.syncs[0]?.upTo ?? 0) <= connection.taken) {
        const { id } = connection.syncs.shift() as { id: number }
        if (!connection.closed) connection.socket.write(encodeFrame(FrameType.SYNCED, JSON.stringify({ id })))
      }
      // Forgotten only after its end was handled: a refused connection's 'process exited' is queued
      // then (socket.closed turns true a tick before).
      if (connection.ended && connection.queue.length === 0) {
        this.#connections.delete(connection)
        if (connection.counts !== undefined) this.#events.stats.retire(connection.counts)
      }
      else if (!connection.closed && connection.queuedBytes <= QUEUE_HIGH_WATER && connection.socket.isPaused()) connection.socket.resume()
    }
  }
}
