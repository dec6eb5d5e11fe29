import { RingState } from '../ring/layout.ts'
import { RingReader } from '../ring/ring-reader.ts'
import type { RegisterMessage } from './protocol.ts'

/** One thread whose ring the hub drains. */
export interface Source {
  readonly tid: number
  readonly thread: string
  readonly reader: RingReader
  /** Set once the thread is known to be gone: its ring is drained one last time, then released. */
  exitCode: number | undefined
}

/** How many exits of threads that never registered are remembered (they may register late). */
const MAX_REMEMBERED_EXITS = 10_000

/** The rings the hub drains, keyed by registration id, and what it knows of their threads' exits. */
export class SourceTable {
  readonly #sources = new Map<string, Source>()
  readonly #exitsBeforeRegistration = new Map<number, number>()

  /**
   * Adds a ring; undefined when this registration was already seen (the main thread replays some)
   * or when its producer gave up waiting for a hub and writes locally.
   */
  add (message: RegisterMessage): Source | undefined {
    if (this.#sources.has(message.id)) return undefined
    const reader = new RingReader(message.buffer)
    if (!reader.claim(RingState.ATTACHED)) return undefined
    const exitCode = this.#exitsBeforeRegistration.get(message.tid)
    this.#exitsBeforeRegistration.delete(message.tid)
    const source: Source = { tid: message.tid, thread: message.thread, reader, exitCode }
    this.#sources.set(message.id, source)
    return source
  }

  /** Records a thread's exit as its parent thread saw it. */
  markExited (tid: number, exitCode: number): void {
    for (const source of this.#sources.values()) {
      if (source.tid === tid) {
        source.exitCode ??= exitCode
        return
      }
    }
    if (this.#exitsBeforeRegistration.size >= MAX_REMEMBERED_EXITS) this.#exitsBeforeRegistration.clear()
    this.#exitsBeforeRegistration.set(tid, exitCode)
  }

  /** Whether the thread is gone: its parent saw it exit, or it closed its ring on the way out. */
  isGone (source: Source): boolean {
    if (source.exitCode === undefined && source.reader.state === RingState.CLOSED) source.exitCode = source.reader.exitCode
    return source.exitCode !== undefined
  }

  release (id: string): void {
    this.#sources.delete(id)
  }

  entries (): IterableIterator<[string, Source]> {
    return this.#sources.entries()
  }

  values (): IterableIterator<Source> {
    return this.#sources.values()
  }
}
