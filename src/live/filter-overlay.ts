// `attach --set`: directives laid over the tree's own for as long as a client stays, and which of the
// records they raise the service's targets must not get.
import { parseDirectives, type Directives, type FilterSubject } from '../filter/directives.ts'
import { processDirectives, refreshFilter } from '../filter/thread-filter.ts'
import { RecordBatch } from '../ring/record-batch.ts'

/** The directives in force before the first overlay: what targets keep following, and what comes back. */
interface Base {
  directives: Directives
  /** The lowest level that passes every term whatever the source: a record at or above it needs no parse. */
  ceiling: number
}

/** How an overlay was asked for. */
export interface OverlayRequest {
  readonly text: string
  /** Leave it in force after the client goes: it becomes the tree's own filter. */
  readonly keep: boolean
  /** The records only it raises go to the service's targets too. */
  readonly toTargets: boolean
}

/** Where the overlay's directives are applied (every thread of every process of the tree), and what it reads. */
export interface OverlayHost {
  readonly apply: (text: string) => Promise<void>
  /** The configuring logger's `filter` option and level: what applies where the process has no directives. */
  readonly fallback: () => { readonly filter: string | undefined, readonly level: number }
}

function ceilingOf (directives: Directives, fallback: number): number {
  return Math.max(fallback, directives.defaultLevel ?? fallback, ...directives.terms.map((term) => term.value))
}

function subjectOf (record: Record<string, unknown>): FilterSubject {
  const number = (value: unknown) => typeof value === 'number' ? value : undefined
  const text = (value: unknown) => typeof value === 'string' ? value : undefined
  // A field the record lacks stays absent: it matches no selector.
  return {
    tid: number(record.tid), thread: text(record.thread), pid: number(record.pid), proc: text(record.proc),
    context: (key: string) => record[key]
  } as FilterSubject
}

/**
 * Overlays, one per attached client that gave `--set`; the last one given is in force. When the
 * last goes (detached, killed: its connection closes either way) the tree's filter comes back.
 *
 * Which records only an overlay raised is decided here, in the hub, against the base directives:
 * a record below the threshold the base gives its source (its `tid`, `thread`, `pid`, `proc`, and
 * context fields for `ctx.` terms) was made only because of the overlay. Producers stay as they
 * are (no mark in the record), and the check costs nothing without an overlay, and a level read
 * for every record above the base's highest threshold with one.
 */
export class FilterOverlay {
  readonly #host: OverlayHost
  readonly #active = new Map<object, OverlayRequest>()
  #base: Base | undefined
  /** Changes are applied one after the other, in the order asked. */
  #applying: Promise<void> = Promise.resolve()

  constructor (host: OverlayHost) {
    this.#host = host
  }

  /** The tree's directives now: setFilter's (or an overlay's), else THREADLOG's, else the configuring logger's `filter` option. */
  currentText (): string {
    refreshFilter()
    return processDirectives()?.text ?? this.#host.fallback().filter ?? ''
  }

  #captureBase (text: string): void {
    const directives = parseDirectives(text)
    this.#base = { directives, ceiling: ceilingOf(directives, this.#host.fallback().level) }
  }

  async #apply (text: string): Promise<void> {
    const applying = this.#applying.then(async () => await this.#host.apply(text))
    this.#applying = applying.catch(() => {})
    await applying
  }

  /**
   * Puts `request` in force for `owner`; resolves with its canonical text once every thread has it.
   *
   * @throws {TypeError} when the directives are invalid, quoting the bad term; nothing changes then.
   */
  async add (owner: object, request: OverlayRequest): Promise<string> {
    const { text } = parseDirectives(request.text, 'option "--set"')
    if (request.keep) {
      // The tree's own filter from now on: what comes back when the other overlays go.
      if (this.#base !== undefined) this.#captureBase(text)
    } else {
      if (this.#active.size === 0) this.#captureBase(this.currentText())
      this.#active.set(owner, { ...request, text })
    }
    await this.#apply(text)
    return text
  }

  /** `owner` is gone: the overlay before it, or the base, is in force again. */
  async remove (owner: object): Promise<void> {
    if (!this.#active.delete(owner)) return
    const next = [...this.#active.values()].at(-1)?.text ?? this.#base?.directives.text ?? ''
    if (this.#active.size === 0) this.#base = undefined
    await this.#apply(next)
  }

  /** Whether the targets get only part of what the clients get. */
  #filtersTargets (): boolean {
    if (this.#base === undefined) return false
    for (const request of this.#active.values()) if (request.toTargets) return false
    return true
  }

  /** The records of `batch` the service's targets get: all of them but those only an overlay raised. */
  forTargets (batch: RecordBatch): RecordBatch {
    const base = this.#base
    if (base === undefined || !this.#filtersTargets()) return batch
    const { level: fallback } = this.#host.fallback()
    const kept = new RecordBatch(Math.max(batch.byteLength, 1))
    let run = 0
    for (let index = 0; index < batch.count; index++) {
      const level = batch.levelOf(index)
      if (level >= base.ceiling || level >= base.directives.levelFor(subjectOf(this.#parse(batch, index)), fallback)) continue
      kept.appendRange(batch, run, index)
      run = index + 1
    }
    if (run === 0) return batch
    kept.appendRange(batch, run, batch.count)
    return kept
  }

  #parse (batch: RecordBatch, index: number): Record<string, unknown> {
    try {
      return JSON.parse(batch.bytes(index, index + 1).toString('utf8')) as Record<string, unknown>
    } catch {
      return {}
    }
  }
}
