import { RecordBatch } from '../ring/record-batch.ts'

/** One of the hub's own records, built only once its place in the stream is known (its `seq` follows that place). */
export interface DeferredRecord {
  readonly time: number
  readonly build: () => string
}

const EMPTY = Buffer.alloc(0)

/**
 * Where a run's records come from: the thread whose ring the hub drained. Attach clients that
 * select by thread or process decide such a run as a whole (src/live/selection.ts).
 */
export interface RunOrigin {
  readonly tid: number
  /** The names its records carry; undefined when its loggers stamp more than one. */
  readonly thread: string | undefined
  readonly proc: string | undefined
}

/** Stretches of a merged batch that each come from one run: {@link TimeMerge.segments}. */
export interface Segments {
  readonly count: number
  /** Where stretch `index` ends in the merged batch; it starts where the one before ended. */
  endOf (index: number): number
  /** Where its records come from; undefined for the hub's own records, and for runs of mixed origin. */
  originOf (index: number): RunOrigin | undefined
}

/**
 * One hub cycle's records, merged by time. Each source appends its records as a run (they are in
 * that source's order, which the merge never changes); `merge` interleaves the runs by each record's
 * time. A record whose time goes back within its run (a clock step, a record without time) takes the
 * time of the record before it, so that its source's order holds. Ties go to the earlier run.
 *
 * The reorder window is one cycle: records of different cycles are never exchanged.
 */
export class TimeMerge {
  /** The records as the sources gave them, run after run; a deferred record is an empty placeholder. */
  readonly staging = new RecordBatch()
  readonly #merged = new RecordBatch()
  readonly #runStarts: number[] = []
  readonly #origins: Array<RunOrigin | undefined> = []
  /** The merged batch's stretches, as {@link Segments}: each one's end and run (-1: a hub record). */
  readonly #segmentEnds: number[] = []
  readonly #segmentRuns: number[] = []
  /** Whether the staging batch was already in order, so that the stretches are the runs. */
  #inOrder = true
  readonly #deferred = new Map<number, DeferredRecord>()
  #times = new Float64Array(1024)

  /** Starts the next source's run, of no known origin until {@link setRunOrigin} names one. */
  startRun (): void {
    this.#runStarts.push(this.staging.count)
    this.#origins.push(undefined)
  }

  /** Names the thread whose records the current run holds (and only those), once they are in it. */
  setRunOrigin (origin: RunOrigin): void {
    this.#origins[this.#origins.length - 1] = origin
  }

  /** Appends one of the hub's own records to the current run. */
  appendDeferred (record: DeferredRecord): void {
    this.#deferred.set(this.staging.count, record)
    this.staging.appendRecord(EMPTY, 0, 0)
  }

  /**
   * Each record's time, made non-decreasing within its run; returns whether the runs, one after the
   * other, are already in time order (nothing to copy then).
   */
  #computeTimes (): boolean {
    const count = this.staging.count
    if (this.#times.length < count) this.#times = new Float64Array(2 ** Math.ceil(Math.log2(count)))
    const times = this.#times
    let ordered = this.#deferred.size === 0
    let previousRunEnd = Number.NEGATIVE_INFINITY
    for (let run = 0; run < this.#runStarts.length; run++) {
      const end = this.#runEnd(run)
      let latest = Number.NEGATIVE_INFINITY
      for (let index = this.#runStarts[run] as number; index < end; index++) {
        const time = this.#isPlaceholder(index) ? (this.#deferred.get(index) as DeferredRecord).time : this.staging.timeOf(index)
        // NaN fails the comparison too: a record without time keeps its place after the one before it.
        if (time >= latest) latest = time
        times[index] = latest
      }
      if (end > (this.#runStarts[run] as number)) {
        if ((times[this.#runStarts[run] as number] as number) < previousRunEnd) ordered = false
        previousRunEnd = latest
      }
    }
    return ordered
  }

  #runEnd (run: number): number {
    return this.#runStarts[run + 1] ?? this.staging.count
  }

  /** The cycle's records in time order: `staging` itself when it already was, else a merged copy. */
  merge (): RecordBatch {
    this.#inOrder = this.staging.count === 0 || this.#computeTimes()
    if (this.#inOrder) return this.staging
    const times = this.#times
    const heads = this.#runStarts.slice()
    const ends = heads.map((_, run) => this.#runEnd(run))
    for (;;) {
      // The run whose next record is earliest, and the next-earliest head of the others.
      let best = -1
      let second = -1
      for (let run = 0; run < heads.length; run++) {
        if ((heads[run] as number) >= (ends[run] as number)) continue
        const time = times[heads[run] as number] as number
        if (best === -1 || time < (times[heads[best] as number] as number)) {
          second = best
          best = run
        } else if (second === -1 || time < (times[heads[second] as number] as number)) {
          second = run
        }
      }
      if (best === -1) break
      const limit = second === -1 ? Number.POSITIVE_INFINITY : times[heads[second] as number] as number
      // Take the best run's records up to the other runs' earliest: one copy per stretch, not per record.
      let index = heads[best] as number
      let from = index
      const end = ends[best] as number
      for (; index < end; index++) {
        const time = times[index] as number
        if (time > limit || (time === limit && second < best)) break
        if (!this.#isPlaceholder(index)) continue
        this.#appendStretch(best, from, index)
        this.#merged.appendString((this.#deferred.get(index) as DeferredRecord).build())
        this.#endSegment(-1)
        from = index + 1
      }
      this.#appendStretch(best, from, index)
      heads[best] = index
    }
    return this.#merged
  }

  #appendStretch (run: number, from: number, to: number): void {
    if (from >= to) return
    this.#merged.appendRange(this.staging, from, to)
    this.#endSegment(run)
  }

  #endSegment (run: number): void {
    this.#segmentEnds.push(this.#merged.count)
    this.#segmentRuns.push(run)
  }

  /**
   * The stretches of the batch {@link merge} returned, each from one run. In a batch already in order
   * they are the runs (which then hold no hub records: those make a batch be merged).
   */
  segments (): Segments {
    if (this.#inOrder) {
      return {
        count: this.#runStarts.length,
        endOf: (index) => this.#runEnd(index),
        originOf: (index) => this.#origins[index]
      }
    }
    return {
      count: this.#segmentEnds.length,
      endOf: (index) => this.#segmentEnds[index] as number,
      originOf: (index) => this.#origins[this.#segmentRuns[index] as number]
    }
  }

  /** Only deferred records are empty in the staging batch (every record ends in `\n`). */
  #isPlaceholder (index: number): boolean {
    return this.#deferred.size > 0 && this.staging.endOf(index) === this.staging.startOf(index)
  }

  /** Empties it for the next cycle. */
  clear (): void {
    this.staging.clear()
    this.#merged.clear()
    this.#runStarts.length = 0
    this.#origins.length = 0
    this.#segmentEnds.length = 0
    this.#segmentRuns.length = 0
    this.#inOrder = true
    this.#deferred.clear()
  }
}
