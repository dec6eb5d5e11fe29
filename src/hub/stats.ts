/** What became of the records of one source: a thread of this process, or a child process relaying to it. */
export interface SourceStats {
  /** `thread <name> (tid <n>)` or `process <name> (pid <n>)`: how the hub's warnings name it. */
  readonly source: string
  readonly kind: 'thread' | 'process'
  /** The process the source belongs to. */
  readonly pid: number
  /** The thread's id and name (threads only). */
  readonly tid?: number
  readonly thread?: string
  /** Records handed to the targets. */
  readonly written: number
  /**
   * Records its producer dropped: `overflow: 'drop'` with a full ring, or a hub that made no progress
   * for `flushTimeoutMs`. Each drop is also reported in a `dropped N records from …` warning.
   */
  readonly dropped: number
  /**
   * Records lost on the way: a thread that ended in the middle of writing a large record, a child
   * process whose connection was cut in the middle of a frame. Each loss is also reported in a
   * `lost N records from …` warning.
   */
  readonly lost: number
  /** UTF-8 bytes of the written records. */
  readonly bytes: number
  /**
   * Bytes waiting to be taken by the hub when the counts were made: in the thread's ring, or in the
   * hub's queue for a child process. How far behind the hub is; 0 for a source that is gone.
   */
  readonly buffered: number
}

/** One target of the hub. */
export interface TargetStats {
  readonly name: string
  /** Records this target accepted (those at or above its level). */
  readonly written: number
  /** Whether it failed (reported on stderr) and receives no more records. */
  readonly failed: boolean
}

/** The counts of {@link stats} and {@link flushAll}: per source, per target, and summed over the sources. */
export interface LogStats {
  readonly sources: readonly SourceStats[]
  readonly targets: readonly TargetStats[]
  readonly written: number
  readonly dropped: number
  readonly lost: number
  readonly bytes: number
}

/** A source's counters, as the hub updates them. */
export type SourceCounts = { -readonly [K in Counter]: number } & Omit<SourceStats, Counter>
type Counter = 'written' | 'dropped' | 'lost' | 'bytes' | 'buffered'

/** What {@link stats} answers when no hub runs in the process: nothing went through one. */
export const NO_STATS: LogStats = { sources: [], targets: [], written: 0, dropped: 0, lost: 0, bytes: 0 }

/**
 * Sources whose counters are kept one by one after they are gone; older ones are summed into one
 * entry, so that a process that spawns threads forever keeps constant memory.
 */
const MAX_GONE_SOURCES = 1024

/** The hub's counters, per source, for the whole life of the process. */
export class StatsTable {
  readonly #live = new Set<SourceCounts>()
  readonly #gone: SourceCounts[] = []
  #earlier: SourceCounts | undefined

  /** Counters for a new source. */
  add (identity: Omit<SourceCounts, Counter>): SourceCounts {
    const counts: SourceCounts = { ...identity, written: 0, dropped: 0, lost: 0, bytes: 0, buffered: 0 }
    this.#live.add(counts)
    return counts
  }

  /** The source is gone: its counters are kept, the oldest gone ones summed. */
  retire (counts: SourceCounts): void {
    if (!this.#live.delete(counts)) return
    counts.buffered = 0
    this.#gone.push(counts)
    if (this.#gone.length <= MAX_GONE_SOURCES) return
    const oldest = this.#gone.shift() as SourceCounts
    this.#earlier ??= { source: 'earlier sources', kind: oldest.kind, pid: oldest.pid, written: 0, dropped: 0, lost: 0, bytes: 0, buffered: 0 }
    for (const key of ['written', 'dropped', 'lost', 'bytes'] as const) this.#earlier[key] += oldest[key]
  }

  snapshot (targets: readonly TargetStats[]): LogStats {
    const sources = [...(this.#earlier === undefined ? [] : [this.#earlier]), ...this.#gone, ...this.#live].map((counts) => ({ ...counts }))
    const sum = (key: 'written' | 'dropped' | 'lost' | 'bytes') => sources.reduce((total, source) => total + source[key], 0)
    return { sources, targets, written: sum('written'), dropped: sum('dropped'), lost: sum('lost'), bytes: sum('bytes') }
  }
}
