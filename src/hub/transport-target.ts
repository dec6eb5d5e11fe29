// A pino transport module as a hub target. Its stream gets records through a bounded queue of its
// own, so that a dead or hung log server stalls neither the hub's cycle nor, through it, the other
// targets and the producing threads (see STALL_MS); what it misses is reported once per burst.
import { once } from 'node:events'
import type { RecordBatch } from '../ring/record-batch.ts'
import type { HubRecordSettings } from './hub-records.ts'
import { announcePinoConfig, pinoTransportConfig } from './pino-config.ts'
import { awaitDrain, type TransportStream } from './stream-drain.ts'
import { createDropReporter, reportTargetFailure, reportUnfinished } from './target-report.ts'
import type { ResolvedTarget } from './target-spec.ts'
import type { OpenTarget } from './targets.ts'
import { loadTransportFactory } from './transport-module.ts'

/** Bytes of records one transport may have waiting: as much as pino's own transport buffer (thread-stream's 4 MiB). */
export const TRANSPORT_QUEUE_BYTES = 4 * 1024 * 1024

/** Calls the module's factory, handing it pino's config as pino's transport thread would (pino-config.ts). */
async function createStream (spec: ResolvedTarget, records: HubRecordSettings): Promise<TransportStream> {
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

/**
 * Records waiting for the stream, as strings: a batch is reused once `write` returns. The pump
 * counts `records` down per record it hands on, `bytes` per batch.
 */
class RecordQueue {
  readonly #batches: string[][] = []
  bytes = 0
  records = 0

  push (lines: string[], bytes: number): void {
    this.#batches.push(lines)
    this.bytes += bytes
    this.records += lines.length
  }

  shift (): string[] | undefined {
    return this.#batches.shift()
  }

  clear (): number {
    const lost = this.records
    this.#batches.length = 0
    this.bytes = 0
    this.records = 0
    return lost
  }
}

/**
 * How long the hub waits for a transport whose queue is full to take anything. One that takes
 * records, however slowly, holds the hub back (its backpressure reaches the producers, nothing is
 * lost); one that takes none for this long is stalled: it gets no records until its queue is half
 * empty again, and those it misses are dropped and reported, so that the other targets go on.
 */
export const STALL_MS = 1000

/** Opens a transport target: its stream, its queue, and the pump between them. */
export async function openTransport (spec: ResolvedTarget, records: HubRecordSettings): Promise<OpenTarget> {
  const stream = await createStream(spec, records)
  const queue = new RecordQueue()
  const drops = createDropReporter(spec.name, `it took none for ${STALL_MS} ms while ${TRANSPORT_QUEUE_BYTES / 1024 / 1024} MiB waited for it`)
  let taken = 0
  let stalled = false
  /** Set while a write waits for room: called when the pump hands a record on. */
  let onProgress: (() => void) | undefined
  let pumping: Promise<void> | undefined
  const pump = async () => {
    for (let lines = queue.shift(); lines !== undefined && !target.failed; lines = queue.shift()) {
      const bytes = lines.reduce((sum, line) => sum + Buffer.byteLength(line), 0)
      for (const line of lines) {
        if (target.failed) break
        const ok = stream.write(line)
        taken++
        queue.records--
        onProgress?.()
        // Per record, not per batch: a batch can be megabytes, and pino-roll rolls only on a drain.
        if (!ok) await awaitDrain(stream)
      }
      queue.bytes -= bytes
      if (queue.bytes <= TRANSPORT_QUEUE_BYTES / 2) stalled = false
    }
    pumping = undefined
  }
  const full = (bytes: number) => queue.bytes > 0 && queue.bytes + bytes > TRANSPORT_QUEUE_BYTES
  /** Waits until `bytes` fit; false when the stream took nothing for STALL_MS. */
  const waitForRoom = async (bytes: number): Promise<boolean> => {
    while (full(bytes)) {
      const progressed = await new Promise<boolean>((resolve) => {
        const timer = setTimeout(() => resolve(false), STALL_MS)
        onProgress = () => { clearTimeout(timer); resolve(true) }
      })
      onProgress = undefined
      if (!progressed || target.failed) return false
    }
    return true
  }
  const target: OpenTarget = {
    name: spec.name,
    minLevel: spec.minLevel,
    failed: false,
    write: async (batch: RecordBatch) => {
      if (target.failed) return
      if (full(batch.byteLength) && (stalled || !(await waitForRoom(batch.byteLength)))) {
        stalled = !target.failed
        if (stalled) drops.drop(batch.count)
        return
      }
      queue.push([...batch.lines()], batch.byteLength)
      // In a microtask: a pump that never has to wait would end before `pumping` was set.
      pumping ??= Promise.resolve().then(pump).catch((error: unknown) => {
        // A write that throws fails the target alone.
        reportTargetFailure(target, error, queue.clear())
        pumping = undefined
      })
    },
    // flushAll(): everything queued has been handed to the stream.
    flush: async () => { await pumping },
    close: async () => {
      await pumping
      drops.flush()
      if (!target.failed) await endStream(stream)
    },
    unfinished: (timeoutMs) => {
      drops.flush()
      reportUnfinished(spec.name, timeoutMs, queue.clear(), taken)
    }
  }
  stream.on('error', (error: Error) => reportTargetFailure(target, error, queue.clear()))
  return target
}
