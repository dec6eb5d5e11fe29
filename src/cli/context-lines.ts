import { sourceKey, type LineSink } from './line-sink.ts'
import type { Output } from './output.ts'

/** How many lines of context `-B` and `-A` ask for, and whether groups are separated by `--`. */
export interface ContextOptions {
  readonly before: number
  readonly after: number
  readonly separators: boolean
}

interface HeldRecord {
  readonly source: Buffer
  readonly start: number
  readonly end: number
  readonly record: Record<string, unknown>
  readonly index: number
}

/** One source's place: how many of its records went by, which was printed last, what is held. */
interface SourceState {
  seen: number
  lastPrinted: number
  afterLeft: number
  readonly before: HeldRecord[]
}

/**
 * `-A`/`-B`/`-C`: around each selected record, records of the same source (thread of a process),
 * as grep prints lines around a match. Other sources' records in between do not count, so a
 * thread's story stays whole in an interleaved log. A `--` line separates runs that are not
 * adjacent within their source (pretty output only: NDJSON stays NDJSON).
 */
export class ContextSink implements LineSink {
  readonly #print: LineSink
  readonly #output: Output
  readonly #options: ContextOptions
  readonly #sources = new Map<string, SourceState>()
  #printedAny = false

  constructor (print: LineSink, output: Output, options: ContextOptions) {
    this.#print = print
    this.#output = output
    this.#options = options
  }

  #state (record: Record<string, unknown>): SourceState {
    const key = sourceKey(record)
    let state = this.#sources.get(key)
    if (state === undefined) {
      state = { seen: 0, lastPrinted: -1, afterLeft: 0, before: [] }
      this.#sources.set(key, state)
    }
    return state
  }

  #emit (state: SourceState, held: HeldRecord): void {
    // A run starts: the source's first, or not right after its last printed record.
    const runStarts = state.lastPrinted === -1 || state.lastPrinted !== held.index - 1
    if (this.#options.separators && this.#printedAny && runStarts) this.#output.text('--\n')
    this.#print.record(held.source, held.start, held.end, held.record, true)
    state.lastPrinted = held.index
    this.#printedAny = true
  }

  record (source: Buffer, start: number, end: number, record: Record<string, unknown>, selected: boolean): void {
    const state = this.#state(record)
    const held = { source, start, end, record, index: state.seen++ }
    if (selected) {
      for (const before of state.before) this.#emit(state, before)
      state.before.length = 0
      this.#emit(state, held)
      state.afterLeft = this.#options.after
    } else if (state.afterLeft > 0) {
      state.afterLeft--
      this.#emit(state, held)
    } else if (this.#options.before > 0) {
      if (state.before.length === this.#options.before) state.before.shift()
      state.before.push(held)
    }
  }

  text (source: Buffer, start: number, end: number): void {
    this.#print.text(source, start, end)
  }

  end (): void {}
}
