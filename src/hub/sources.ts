import { RingState, readRingState } from '../ring/layout.ts'
import { RingReader } from '../ring/ring-reader.ts'
import type { RegisterMessage, ThreadExitMessage } from './protocol.ts'
import type { RunOrigin } from './time-merge.ts'
import type { SourceCounts, StatsTable } from './stats.ts'

/** A thread's exit as the thread that spawned it saw it. */
export type ThreadExit = Pick<ThreadExitMessage, 'exitCode' | 'terminated' | 'time'>

/** One thread whose ring the hub drains. */
export interface Source {
  readonly tid: number
  readonly thread: string
  readonly reader: RingReader
  /** Its thread, as the runs of its records in the hub's merge name it: see {@link originOf}. */
  origin: RunOrigin
  /** When the thread's first logger made its ring: the time of its `thread started` record. */
  readonly startedAt: number
  /** Its counters in the hub's stats. */
  readonly counts: SourceCounts
  /** Set once the thread is known to be gone: its ring is drained one last time, then released. */
  exitCode: number | undefined
  /** When it was seen to exit, if its parent said so. */
  exitedAt: number | undefined
  /** Its parent said the application terminated it (`worker.terminate()`): not a fault. */
  terminated: boolean
  /** Whether its `thread started` is still to be written. */
  announce: boolean
}

/**
 * The origin of the records just drained from the source: its thread, by id and, until one of its
 * loggers stamps other names, by its names. Read after the drain: a logger with other names says so
 * before it writes. A new object then, so that what clients decided for the old one is not reused.
 */
export function originOf (source: Source): RunOrigin {
  if (source.origin.thread !== undefined && source.reader.namesVary) source.origin = { tid: source.tid, thread: undefined, proc: undefined }
  return source.origin
}

/**
 * How many thread ids the table remembers outside its live rings: exits of threads not registered
 * (yet), and threads whose rings it released. Both sets only bridge a message race of a few
 * milliseconds, so the oldest entries are the ones to forget; the bound keeps a process that spawns
 * threads forever at constant memory.
 */
const MAX_REMEMBERED_TIDS = 1024

/** Adds `key` as the newest entry of an insertion-ordered map, evicting the oldest beyond the bound. */
function remember<V> (map: Map<number, V>, key: number, value: V): void {
  map.delete(key)
  map.set(key, value)
  if (map.size > MAX_REMEMBERED_TIDS) map.delete(map.keys().next().value as number)
}

/** The rings the hub drains, keyed by registration id, and what it knows of their threads' exits. */
export class SourceTable {
  readonly #sources = new Map<string, Source>()
  /** The live sources again, by thread id (a thread has one ring): exit notices find theirs at once. */
  readonly #byTid = new Map<number, Source>()
  readonly #exitsBeforeRegistration = new Map<number, ThreadExit>()
  /**
   * Threads whose rings were released. A thread that exits normally closes its ring itself, so the
   * hub usually releases the ring before the parent's 'thread-exit' notice arrives. That notice
   * used to land in #exitsBeforeRegistration, where nothing ever took it out again (one entry per
   * thread ever spawned, cleared wholesale at 10 000, which also lost genuine early exits): a
   * notice for a released thread is now recognised here and dropped.
   */
  readonly #released = new Map<number, true>()
  /** Sources made gone by their parent's exit notice: no other notice follows for them. */
  readonly #noticed = new WeakSet<Source>()
  readonly #stats: StatsTable
  readonly #pid: number

  constructor (stats: StatsTable, pid: number) {
    this.#stats = stats
    this.#pid = pid
  }

  /** How many rings the hub currently drains. */
  get size (): number {
    return this.#sources.size
  }

  /**
   * Adds a ring; undefined when this registration was already seen (the main thread replays some)
   * or when its producer gave up waiting for a hub and writes locally.
   */
  add (message: RegisterMessage): Source | undefined {
    if (this.#sources.has(message.id)) return undefined
    // Every registration reaches the hub at least twice (the channel, and the main thread's relay;
    // more while its producer re-announces it): a replay of a ring already claimed or released is
    // refused by its state alone, without building a reader for it.
    if (readRingState(message.buffer) !== RingState.PENDING) return undefined
    const reader = new RingReader(message.buffer)
    if (!reader.claim(RingState.ATTACHED)) return undefined
    const exit = this.#exitsBeforeRegistration.get(message.tid)
    this.#exitsBeforeRegistration.delete(message.tid)
    const counts = this.#stats.add({
      source: `thread ${message.thread} (tid ${message.tid})`, kind: 'thread', pid: this.#pid, tid: message.tid, thread: message.thread
    })
    const source: Source = {
      tid: message.tid, thread: message.thread, reader, origin: { tid: message.tid, thread: message.thread, proc: message.proc }, startedAt: message.time, counts,
      exitCode: exit?.exitCode, exitedAt: exit?.time, terminated: exit?.terminated ?? false, announce: true
    }
    this.#sources.set(message.id, source)
    this.#byTid.set(message.tid, source)
    return source
  }

  /** Records a thread's exit as its parent thread saw it. */
  markExited (tid: number, exit: ThreadExit): void {
    const source = this.#byTid.get(tid)
    if (source !== undefined) {
      // A ring the thread closed itself keeps the code the thread gave; terminate() skips that close.
      if (source.exitCode === undefined) source.terminated = exit.terminated
      source.exitCode ??= exit.exitCode
      source.exitedAt ??= exit.time
      this.#noticed.add(source)
      return
    }
    if (this.#released.delete(tid)) return
    remember(this.#exitsBeforeRegistration, tid, exit)
  }

  /** Whether the thread is gone: its parent saw it exit, or it closed its ring on the way out. */
  isGone (source: Source): boolean {
    if (source.exitCode === undefined && source.reader.state === RingState.CLOSED) source.exitCode = source.reader.exitCode
    return source.exitCode !== undefined
  }

  release (id: string): void {
    const source = this.#sources.get(id)
    if (source === undefined) return
    this.#sources.delete(id)
    this.#stats.retire(source.counts)
    if (this.#byTid.get(source.tid) === source) this.#byTid.delete(source.tid)
    // The parent's exit notice may still be on its way (or already have been applied, when it
    // is what made the source gone): remember the tid only while a notice can still come.
    if (!this.#noticed.has(source)) remember(this.#released, source.tid, true)
  }

  entries (): IterableIterator<[string, Source]> {
    return this.#sources.entries()
  }

  values (): IterableIterator<Source> {
    return this.#sources.values()
  }
}
