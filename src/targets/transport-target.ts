// A pino transport module as a hub target. Its stream gets records through a bounded queue of its
// own, so that a dead or hung log server stalls neither the hub's cycle nor, through it, the other
// targets and the producing threads (see STALL_MS); what it misses is reported once per burst.
import { once } from 'node:events'
import type { RecordBatch } from '../ring/record-batch.ts'
import type { HubRecordSettings } from '../hub/hub-records.ts'
import { announcePinoConfig, pinoTransportConfig } from '../hub/pino-config.ts'
import { awaitDrain, type TransportStream } from './stream-drain.ts'
import { createDropReporter, reportTargetFailure, reportUnfinished } from './target-report.ts'
import type { TransportTarget } from './target-spec.ts'
import type { OpenTarget } from './open-target.ts'
import { loadTransportFactory } from './transport-module.ts'

/** Bytes of records one transport may have waiting: as much as pino's own transport buffer (thread-stream's 4 MiB). */
export const TRANSPORT_QUEUE_BYTES = 4 * 1024 * 1024

/** Calls the module's factory, handing it pino's config as pino's transport thread would (pino-config.ts). */
async function createStream (spec: TransportTarget, records: HubRecordSettings): Promise<TransportStream> {
  const factory = await loadTransportFactory(spec.module)
  const opening = Promise.resolve(factory(spec.options))
  // Again until the factory settles, for a transport that starts listening after an await of its
  // own: one waiting for the config would otherwise never open (a transport takes the first only).
  const config = pinoTransportConfig(records)
  announcePinoConfig(config)
  const repeat = setInterval(() => announcePinoConfig(config), 10)
  const stream = await opening.finally(() => clearInterval(repeat)) as TransportStream
  if (stream === null || typeof stream?.write !== 'function') throw new TypeError('the transport did not return a stream')
  return stream
}

/**
 * Ends a transport's stream and resolves when it has delivered what it had: at `close`, or at
 * `insert` — pino-elasticsearch replaces its stream's `destroy`, so it never closes, and says with
 * `insert` that its bulk helper has sent the last documents. An `error` ends the wait too.
 */
async function endStream (stream: TransportStream): Promise<void> {
  if (stream.destroyed === true || stream.writableFinished === true) return
  const finished = Promise.race(['close', 'insert', 'error'].map(async (event) => await once(stream, event).catch(() => {})))
  stream.end()
  await finished
}

/** One batch waiting for the stream: its records as strings (the batch is reused once `write` returns). */
interface QueuedBatch {
  readonly lines: readonly string[]
  readonly bytes: number
}

/**
 * How long the hub waits for a transport whose queue is full to take anything. One that takes
 * records, however slowly, holds the hub back (its backpressure reaches the producers, nothing is
 * lost); one that takes none for this long is stalled: it gets no records until its queue is half
 * empty again, and those it misses are dropped and reported, so that the other targets go on.
 */
export const STALL_MS = 1000

/** A transport's stream, its queue, and the pump between them. */
class QueuedTransport implements OpenTarget {
  readonly name: string
  readonly minLevel: number
  failed = false
  readonly #stream: TransportStream
  readonly #queue: QueuedBatch[] = []
  #queuedBytes = 0
  #queuedRecords = 0
  /** Records the stream took, whose delivery it never confirms. */
  #taken = 0
  #stalled = false
  /** Set while a write waits for room: called when the pump hands a record on. */
  #onProgress: (() => void) | undefined
  #pumping: Promise<void> | undefined
  readonly #drops: ReturnType<typeof createDropReporter>

  constructor (spec: TransportTarget, stream: TransportStream) {
    this.name = spec.name
    this.minLevel = spec.minLevel
    this.#stream = stream
    this.#drops = createDropReporter(spec.name, `it took none for ${STALL_MS} ms while ${TRANSPORT_QUEUE_BYTES / 1024 / 1024} MiB waited for it`)
    stream.on('error', (error: Error) => reportTargetFailure(this, error, this.#clear()))
  }

  async write (batch: RecordBatch): Promise<void> {
    if (this.failed) return
    if (this.#full(batch.byteLength) && (this.#stalled || !(await this.#waitForRoom(batch.byteLength)))) {
      this.#stalled = !this.failed
      if (this.#stalled) this.#drops.drop(batch.count)
      return
    }
    this.#queue.push({ lines: [...batch.lines()], bytes: batch.byteLength })
    this.#queuedBytes += batch.byteLength
    this.#queuedRecords += batch.count
    // In a microtask: a pump that never has to wait would end before `#pumping` was set.
    this.#pumping ??= Promise.resolve().then(async () => await this.#pump()).catch((error: unknown) => {
      // A write that throws fails this target alone.
      reportTargetFailure(this, error, this.#clear())
      this.#pumping = undefined
    })
  }

  /** flushAll(): everything queued has been handed to the stream. */
  async flush (): Promise<void> {
    await this.#pumping
  }

  async close (): Promise<void> {
    await this.#pumping
    this.#drops.flush()
    if (!this.failed) await endStream(this.#stream)
  }

  taken (): number {
    return this.#taken
  }

  unfinished (timeoutMs: number): void {
    this.#drops.flush()
    reportUnfinished(this.name, timeoutMs, this.#clear(), this.#taken)
  }

  async #pump (): Promise<void> {
    for (let batch = this.#queue.shift(); batch !== undefined && !this.failed; batch = this.#queue.shift()) {
      for (const line of batch.lines) {
        if (this.failed) break
        const ok = this.#stream.write(line)
        this.#taken++
        this.#queuedRecords--
        this.#onProgress?.()
        // Per record, not per batch: a batch can be megabytes, and pino-roll rolls only on a drain.
        if (!ok) await awaitDrain(this.#stream)
      }
      this.#queuedBytes -= batch.bytes
      if (this.#queuedBytes <= TRANSPORT_QUEUE_BYTES / 2) this.#stalled = false
    }
    this.#pumping = undefined
  }

  #full (bytes: number): boolean {
    return this.#queuedBytes > 0 && this.#queuedBytes + bytes > TRANSPORT_QUEUE_BYTES
  }

  /** Waits until `bytes` fit; false when the stream took nothing for STALL_MS. */
  async #waitForRoom (bytes: number): Promise<boolean> {
    while (this.#full(bytes)) {
      const progressed = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), STALL_MS)
        this.#onProgress = () => { clearTimeout(timer); resolve(true) }
      })
      this.#onProgress = undefined
      if (!progressed || this.failed) return false
    }
    return true
  }

  /** Empties the queue; returns how many records it held (lost). */
  #clear (): number {
    const lost = this.#queuedRecords
    this.#queue.length = 0
    this.#queuedBytes = 0
    this.#queuedRecords = 0
    return lost
  }
}

/** Opens a transport target: its module's stream behind a queue of its own. */
export async function openTransport (spec: TransportTarget, records: HubRecordSettings): Promise<OpenTarget> {
  return new QueuedTransport(spec, await createStream(spec, records))
}
