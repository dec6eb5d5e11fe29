/** Where a sink puts its output: the real {@link Output}, or a collector that holds it for later. */
export interface LineWriter {
  /** The bytes `[start, end)` of `source` and a `\n`. */
  line (source: Buffer, start: number, end: number): void
  text (text: string): void
}

/**
 * What the scanner hands each line to. A sink decides how it is shown (pretty, NDJSON), or holds it
 * (grouped by source, counted in a table). Buffers are valid beyond the call: chunks of input are
 * never reused.
 */
export interface LineSink {
  /**
   * A JSON object line. `selected` is `false` only for sinks that asked to see every record (context
   * lines need the records around a match).
   */
  record (source: Buffer, start: number, end: number, record: Record<string, unknown>, selected: boolean): void
  /** A line that is not a JSON object (plain text, an array, broken JSON). */
  text (source: Buffer, start: number, end: number): void
  /** The input has ended: write what was held. */
  end (): void
}

/** A record's source: its process and thread, as a key that is the same for every record of one thread. */
export function sourceKey (record: Record<string, unknown>): string {
  return `${String(record['pid'])}\0${String(record['tid'])}\0${String(record['proc'])}\0${String(record['thread'])}`
}
