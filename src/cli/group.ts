import { sourceKey, type LineSink, type LineWriter } from './line-sink.ts'
import type { Output } from './output.ts'

/** Holds one source's output until the input ends. Lines are kept as the chunks' own bytes: no copy. */
class HeldLines implements LineWriter {
  readonly pieces: Array<Buffer | string> = []
  count = 0

  line (source: Buffer, start: number, end: number): void {
    this.pieces.push(source.subarray(start, end))
  }

  text (text: string): void {
    this.pieces.push(text)
  }

  replay (output: Output): void {
    for (const piece of this.pieces) {
      if (typeof piece === 'string') output.text(piece)
      else output.line(piece, 0, piece.length)
    }
  }
}

interface Group {
  readonly header: string | undefined
  readonly held: HeldLines
  readonly sink: LineSink
}

const plural = (count: number, word: string): string => `${count} ${word}${count === 1 ? '' : 's'}`

/**
 * `--group`: the selected records of each source (a thread of a process), sources in the order
 * they first appear, each under a header naming it. Lines that are not JSON come last, under a
 * header of their own. NDJSON output has no headers (it stays NDJSON): only the order changes.
 */
export class GroupSink implements LineSink {
  readonly #output: Output
  readonly #createSink: (writer: LineWriter) => LineSink
  readonly #header: ((record: Record<string, unknown>) => string) | undefined
  readonly #groups = new Map<string, Group>()
  #other: Group | undefined

  /**
   * `createSink` makes the sink that renders one group's lines into its holder; `header` names a
   * group from its first record (no headers without it: NDJSON output).
   */
  constructor (output: Output, createSink: (writer: LineWriter) => LineSink, header: ((record: Record<string, unknown>) => string) | undefined) {
    this.#output = output
    this.#createSink = createSink
    this.#header = header
  }

  #open (header: string | undefined): Group {
    const held = new HeldLines()
    return { header, held, sink: this.#createSink(held) }
  }

  record (source: Buffer, start: number, end: number, record: Record<string, unknown>, selected: boolean): void {
    const key = sourceKey(record)
    let group = this.#groups.get(key)
    if (group === undefined) {
      group = this.#open(this.#header?.(record))
      this.#groups.set(key, group)
    }
    group.held.count++
    group.sink.record(source, start, end, record, selected)
  }

  text (source: Buffer, start: number, end: number): void {
    this.#other ??= this.#open(this.#header === undefined ? undefined : 'not JSON')
    this.#other.held.count++
    this.#other.sink.text(source, start, end)
  }

  end (): void {
    const groups = [...this.#groups.values()]
    if (this.#other !== undefined && this.#other.held.pieces.length > 0) groups.push(this.#other)
    for (const group of groups) {
      const what = group === this.#other ? plural(group.held.count, 'line') : plural(group.held.count, 'record')
      if (group.header !== undefined) this.#output.text(`── ${group.header} · ${what}\n`)
      group.held.replay(this.#output)
    }
  }
}
