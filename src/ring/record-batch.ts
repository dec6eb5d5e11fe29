import { levelOfLabel } from '../levels.ts'

/** How much room a batch starts with, and keeps between cycles. */
const INITIAL_BYTES = 64 * 1024
/** A cycle that needed more than this (many busy rings, a huge record) does not keep its buffer. */
const RETAINED_BYTES = 4 * 1024 * 1024

const NEWLINE = 0x0a
const QUOTE = 0x22
const COLON = 0x3a
/** Longer than any level label a formatter writes: a longer string is not a level. */
const MAX_LABEL_BYTES = 16
const COMMA = 0x2c
/** `{"level":`, how every record pino writes starts (unless a formatter renames or relabels the level). */
const LEVEL_PREFIX = Buffer.from('{"level":')
const TIME_KEY = Buffer.from('"time":')
/** How far into a record `"time":` is looked for when it does not follow the level. */
const TIME_SEARCH_BYTES = 512

/** Whether `bytes` is at `at` in `buffer`: a loop, cheaper than a native call for a few bytes. */
function bytesAt (buffer: Buffer, at: number, bytes: Buffer): boolean {
  if (at + bytes.length > buffer.length) return false
  for (let index = 0; index < bytes.length; index++) if (buffer[at + index] !== bytes[index]) return false
  return true
}

/**
 * One hub cycle's records: UTF-8 bytes back to back in one buffer, in the order the hub took them,
 * with where each record ends. Targets that write bytes (files, pipes, the relay's socket) write them
 * as they are; targets that need strings (the pretty printer, pino transports) decode each record
 * once, on demand. Decoding every record, joining the strings and encoding them again for the file
 * was most of the hub's work per record.
 *
 * The buffer is reused by the next cycle: a target that keeps bytes beyond its `write` copies them.
 */
export class RecordBatch {
  #buffer: Buffer
  #length = 0
  /** Offset just past each record's `\n`. */
  readonly #ends: number[] = []
  #lines: string[] | undefined

  constructor (initialBytes = INITIAL_BYTES) {
    this.#buffer = Buffer.allocUnsafe(initialBytes)
  }

  /** A batch of whole NDJSON lines (each ending in `\n`), copied. */
  static fromLines (lines: Buffer | string): RecordBatch {
    const bytes = typeof lines === 'string' ? Buffer.from(lines) : lines
    const batch = new RecordBatch(Math.max(bytes.length, 1))
    batch.appendLines(bytes)
    return batch
  }

  /** How many records it holds. */
  get count (): number {
    return this.#ends.length
  }

  get byteLength (): number {
    return this.#length
  }

  /** Where record `index` starts in {@link bytes}. */
  startOf (index: number): number {
    return index === 0 ? 0 : this.#ends[index - 1] ?? 0
  }

  /** Where record `index` ends (just past its `\n`) in {@link bytes}. */
  endOf (index: number): number {
    return this.#ends[index] ?? 0
  }

  #room (bytes: number): void {
    const needed = this.#length + bytes
    if (needed <= this.#buffer.length) return
    let size = this.#buffer.length * 2
    while (size < needed) size *= 2
    const grown = Buffer.allocUnsafe(size)
    this.#buffer.copy(grown, 0, 0, this.#length)
    this.#buffer = grown
  }

  /**
   * Appends one record copied from `source[start, end)` and, for a record that wraps around the end
   * of a ring, `source[0, wrappedEnd)` after it.
   */
  appendRecord (source: Buffer, start: number, end: number, wrappedEnd = 0): void {
    this.#room(end - start + wrappedEnd)
    this.#length += source.copy(this.#buffer, this.#length, start, end)
    if (wrappedEnd > 0) this.#length += source.copy(this.#buffer, this.#length, 0, wrappedEnd)
    this.#ends.push(this.#length)
    this.#lines = undefined
  }

  /** Appends one record given as a string (the hub's own records). */
  appendString (line: string): void {
    this.#room(line.length * 3)
    this.#length += this.#buffer.write(line, this.#length)
    this.#ends.push(this.#length)
    this.#lines = undefined
  }

  /**
   * Appends a run of whole lines, each ending in `\n` (a child process's RECORDS frame). Bytes after
   * the last `\n`, which no caller passes, would make one more record rather than belong to none.
   */
  appendLines (lines: Buffer): void {
    this.#room(lines.length)
    const offset = this.#length
    this.#length += lines.copy(this.#buffer, offset)
    for (let end = lines.indexOf(NEWLINE); end !== -1; end = lines.indexOf(NEWLINE, end + 1)) this.#ends.push(offset + end + 1)
    if (this.#length > this.endOf(this.count - 1)) this.#ends.push(this.#length)
    this.#lines = undefined
  }

  /** The records' bytes: a view, valid until the batch is cleared or appended to. */
  bytes (start = 0, end = this.count): Buffer {
    return this.#buffer.subarray(this.startOf(start), end === 0 ? 0 : this.#ends[end - 1])
  }

  /** The records as strings, each ending in `\n`; decoded on first use, once for every target that asks. */
  lines (): readonly string[] {
    if (this.#lines !== undefined) return this.#lines
    const lines: string[] = []
    for (let index = 0, start = 0; index < this.#ends.length; index++) {
      const end = this.#ends[index] as number
      lines.push(this.#buffer.toString('utf8', start, end))
      start = end
    }
    this.#lines = lines
    return lines
  }

  /**
   * The level of record `index`, read without parsing it; 0 when it has none. pino writes the level
   * formatter's output first (`{"level":30`, or `{"level":"info"`, `{"log.level":"warn"`,
   * `{"severity":"WARNING"` with a formatter), so the first field's value is read as a number or a
   * level label.
   */
  levelOf (index: number): number {
    const start = this.startOf(index)
    const end = this.#ends[index] as number
    const buffer = this.#buffer
    if (end - start < 4 || buffer[start + 1] !== QUOTE) return 0
    let at = start + 2
    while (at < end - 1 && !(buffer[at] === QUOTE && buffer[at + 1] === COLON)) at++
    at += 2
    if (at >= end) return 0
    if (buffer[at] === QUOTE) return this.#labelLevel(at + 1, end)
    let level = 0
    for (; at < end; at++) {
      const digit = (buffer[at] as number) - 48
      if (digit < 0 || digit > 9) break
      level = level * 10 + digit
    }
    return level
  }

  #labelLevel (from: number, end: number): number {
    const close = this.#buffer.indexOf(QUOTE, from)
    if (close < 0 || close >= end || close - from > MAX_LABEL_BYTES) return 0
    return levelOfLabel(this.#buffer.toString('latin1', from, close)) ?? 0
  }

  /**
   * The time of record `index` in epoch milliseconds, read without parsing it: pino's `"time"`
   * (a number, or an ISO string from a `timestamp` function); NaN when it has none.
   */
  timeOf (index: number): number {
    const buffer = this.#buffer
    const start = this.startOf(index)
    const end = this.#ends[index] as number
    let at = -1
    if (bytesAt(buffer, start, LEVEL_PREFIX)) {
      // pino's own order: {"level":30,"time":…
      let after = start + LEVEL_PREFIX.length
      while (after < end && (buffer[after] as number) >= 48 && (buffer[after] as number) <= 57) after++
      if (buffer[after] === COMMA && bytesAt(buffer, after + 1, TIME_KEY)) at = after + 1 + TIME_KEY.length
    }
    if (at === -1) {
      const found = buffer.subarray(start, Math.min(end, start + TIME_SEARCH_BYTES)).indexOf(TIME_KEY)
      if (found === -1) return Number.NaN
      at = start + found + TIME_KEY.length
    }
    if (buffer[at] === QUOTE) {
      const close = buffer.indexOf(QUOTE, at + 1)
      return close === -1 || close >= end ? Number.NaN : Date.parse(buffer.toString('latin1', at + 1, close))
    }
    let time = 0
    let digit = at
    for (; digit < end; digit++) {
      const value = (buffer[digit] as number) - 48
      if (value < 0 || value > 9) break
      time = time * 10 + value
    }
    return digit === at ? Number.NaN : time
  }

  /** Appends copies of records `[from, to)` of `source`, in one copy. */
  appendRange (source: RecordBatch, from: number, to: number): void {
    if (from >= to) return
    const start = source.startOf(from)
    this.#room(source.endOf(to - 1) - start)
    const offset = this.#length - start
    this.#length += source.#buffer.copy(this.#buffer, this.#length, start, source.endOf(to - 1))
    for (let index = from; index < to; index++) this.#ends.push((source.#ends[index] as number) + offset)
    this.#lines = undefined
  }

  /** A new batch of the records whose level is at least `minLevel`; this one when all of them are. */
  atLeast (minLevel: number): RecordBatch {
    const kept: number[] = []
    let bytes = 0
    for (let index = 0; index < this.#ends.length; index++) {
      if (this.levelOf(index) < minLevel) continue
      kept.push(index)
      bytes += this.endOf(index) - this.startOf(index)
    }
    if (kept.length === this.#ends.length) return this
    const filtered = new RecordBatch(Math.max(bytes, 1))
    for (const index of kept) filtered.appendRecord(this.#buffer, this.startOf(index), this.endOf(index))
    return filtered
  }

  /** A new batch holding copies of the records `[start, end)`. */
  slice (start: number, end: number): RecordBatch {
    const from = this.startOf(start)
    const copy = new RecordBatch(Math.max(this.endOf(end - 1) - from, 1))
    for (let index = start; index < end; index++) copy.appendRecord(this.#buffer, this.startOf(index), this.endOf(index))
    return copy
  }

  /** Empties it for the next cycle, keeping its buffer unless one cycle made it huge. */
  clear (): void {
    this.#length = 0
    this.#ends.length = 0
    this.#lines = undefined
    if (this.#buffer.length > RETAINED_BYTES) this.#buffer = Buffer.allocUnsafe(INITIAL_BYTES)
  }
}
