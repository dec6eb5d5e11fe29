// The hub's work done by the main thread itself, while it is the only thread that logs: a hub
// worker costs a one-line program more than pino does altogether (an isolate: ≈ +20 MiB, +40 ms).
// The main thread drains its own ring into the target, writing the bytes the hub would write, until
// something needs the hub (hub-starter.ts hands over then): nothing else reads the ring meanwhile.
import { closeSync, fsyncSync, mkdirSync, openSync, writeSync } from '../node-fs.ts'
import { dirname } from 'node:path'
import { RecordBatch } from '../ring/record-batch.ts'
import { RingReader } from '../ring/ring-reader.ts'
import { openBlockingDescriptor } from '../targets/blocking-fd.ts'
import { LIFECYCLE_LEVEL, type HubRecordSettings } from './hub-records.ts'
import { reportTargetFailure } from '../targets/target-report.ts'
import type { ResolvedTarget } from '../targets/target-spec.ts'

/** What the main thread wrote before the hub took over: the hub's counts start from it. */
export interface InlineCounts {
  readonly tid: number
  /** Records (and their bytes) taken from the ring, as the hub counts a source's `written`. */
  readonly written: number
  readonly bytes: number
  /** Records the target accepted, or would have received after it failed. */
  readonly accepted: number
  readonly missed: number
  readonly failed: boolean
}

/**
 * Whether the main thread can do the hub's work for `targets`: one NDJSON or file target (written
 * with plain synchronous writes), no hub records to add (the lifecycle records are below the level,
 * no directives could lift them), in a root process (a relay writes to its root's socket). Anything else starts the hub at once.
 */
export function canWriteInline (targets: readonly ResolvedTarget[], records: HubRecordSettings, relaying: boolean): boolean {
  const [target] = targets
  if (targets.length !== 1 || target === undefined || relaying) return false
  if (target.kind !== 'ndjson' && target.kind !== 'file') return false
  if (target.options.reopenOnSighup === true) return false
  return records.level > LIFECYCLE_LEVEL && records.filter === undefined && process.env.THREADLOG === undefined
}

/** A 1 ms sleep between tries of a descriptor that said EAGAIN: nobody notifies it. */
const pause = new Int32Array(new SharedArrayBuffer(4))

/** The main thread's records on their way to the one target, without a hub. */
export class InlineWriter {
  /** The main thread's id (0), whose source the hub's counts continue. */
  readonly tid: number
  readonly #reader: RingReader
  readonly #batch = new RecordBatch()
  readonly #target: { readonly name: string, failed: boolean, readonly minLevel: number }
  readonly #fd: number
  readonly #ownsFd: boolean
  readonly #stallTimeoutMs: number
  readonly #stalled: () => void
  #stallSeen = false
  #scheduled: NodeJS.Immediate | undefined
  #ended = false
  #counts = { written: 0, bytes: 0, accepted: 0, missed: 0 }

  /** `stalled`: the target made the main thread wait; called once, outside any log call. */
  constructor (ring: SharedArrayBuffer, target: ResolvedTarget, tid: number, stallTimeoutMs: number, stalled: () => void) {
    this.#reader = new RingReader(ring)
    this.#target = { name: target.name, failed: false, minLevel: target.minLevel }
    const destination = target.kind === 'file' ? target.options.path : target.options.destination ?? 1
    this.#ownsFd = typeof destination !== 'number'
    this.#fd = typeof destination === 'number' ? openBlockingDescriptor(destination) : openAppend(destination as string)
    this.#stallTimeoutMs = stallTimeoutMs
    this.#stalled = stalled
    this.tid = tid
  }

  /** The ring's writer published a record: drain now when the ring is half full, else soon. */
  wake (urgent: boolean): void {
    if (urgent) {
      this.drain()
      return
    }
    // Unref'd: a pending drain never keeps the process alive; the exit path drains what is left.
    this.#scheduled ??= setImmediate(() => {
      this.#scheduled = undefined
      this.drain()
    }).unref()
  }

  /** Writes everything the ring holds, synchronously. */
  drain (): void {
    if (this.#ended) return
    const batch = this.#batch
    for (;;) {
      batch.clear()
      if (this.#reader.drain(batch, Number.POSITIVE_INFINITY) === 0) return
      this.#counts.written += batch.count
      this.#counts.bytes += batch.byteLength
      const records = this.#target.minLevel === 0 ? batch : batch.atLeast(this.#target.minLevel)
      if (records.count === 0) continue
      // As the hub counts them: the records of the write that failed are neither accepted nor missed.
      if (this.#target.failed) this.#counts.missed += records.count
      else if (this.#writeAll(records.bytes())) this.#counts.accepted += records.count
    }
  }

  /** The last drain, at exit: on disk once the process is gone, as the hub's file targets are. */
  finish (): void {
    if (this.#ended) return
    this.end()
    try {
      fsyncSync(this.#fd)
    } catch {
      // A pipe, a socket or a terminal cannot be synced: nothing was lost.
    }
  }

  /** Drains and stops: from now on the hub reads the ring. */
  end (): InlineCounts {
    if (this.#scheduled !== undefined) clearImmediate(this.#scheduled)
    this.#scheduled = undefined
    this.drain()
    this.#ended = true
    if (this.#ownsFd) closeSync(this.#fd)
    return { tid: this.tid, ...this.#counts, failed: this.#target.failed }
  }

  /** Whether every byte went out; a failure is reported as the hub reports a failed target. */
  #writeAll (bytes: Buffer): boolean {
    let offset = 0
    let deadline: number | undefined
    while (offset < bytes.length) {
      try {
        offset += writeSync(this.#fd, bytes, offset)
      } catch (error) {
        const now = Date.now()
        deadline ??= now + this.#stallTimeoutMs
        if ((error as NodeJS.ErrnoException).code !== 'EAGAIN' || now >= deadline) {
          reportTargetFailure(this.#target, error)
          return false
        }
        // A socket's buffer is full (a socket cannot be reopened blocking): a slow reader. This
        // batch waits for it; the next ones go through the hub, whose thread can afford to wait.
        if (!this.#stallSeen) setImmediate(this.#stalled)
        this.#stallSeen = true
        Atomics.wait(pause, 0, 0, 1)
      }
    }
    return true
  }
}

function openAppend (path: string): number {
  mkdirSync(dirname(path), { recursive: true })
  return openSync(path, 'a')
}
