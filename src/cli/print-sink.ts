import type { LineFormatter } from '../format/pretty.ts'
import type { LineSink, LineWriter } from './line-sink.ts'

/**
 * Writes lines as they come. Pretty: records through the line formatter, other lines as they were
 * read. NDJSON: records byte for byte as they were read (so that the output chains with jq), other
 * lines dropped.
 */
export class PrintSink implements LineSink {
  readonly #writer: LineWriter
  readonly #format: LineFormatter | undefined

  /** With `format`, pretty output; without, NDJSON. */
  constructor (writer: LineWriter, format: LineFormatter | undefined) {
    this.#writer = writer
    this.#format = format
  }

  record (source: Buffer, start: number, end: number, record: Record<string, unknown>): void {
    if (this.#format === undefined) this.#writer.line(source, start, end)
    else this.#writer.text(this.#format(record))
  }

  text (source: Buffer, start: number, end: number): void {
    if (this.#format !== undefined) this.#writer.line(source, start, end)
  }

  end (): void {}
}
