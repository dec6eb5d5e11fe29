import { once } from 'node:events'
import type { Writable } from 'node:stream'

/** How many bytes are gathered before a write: one write per this much output, not one per line. */
const CHUNK_BYTES = 1024 * 1024
/** Less room than this left in the buffer after a write, and the next bytes go to a new one. */
const MIN_REST_BYTES = 64 * 1024
/** Whole lines this long are written as they are, not copied into the buffer first. */
const DIRECT_BYTES = 16 * 1024
const NEWLINE = 0x0a
// A string of n UTF-16 units takes at most 3n bytes in UTF-8.
const MAX_BYTES_PER_UNIT = 3

/**
 * Gathers output in large buffers and writes each one whole. Lines are added synchronously, while
 * a chunk of input is being split; the caller awaits {@link Output.drain} between chunks, which is
 * where the destination's backpressure is honoured. Bytes once written are never overwritten (the
 * destination may still hold them), so there is nothing to copy at write time.
 */
export class Output {
  readonly #destination: Writable
  #buffer = Buffer.allocUnsafe(CHUNK_BYTES)
  #length = 0
  #blocked = false
  // Text waits here and is joined once: a formatted line is a rope of pieces, and joining many
  // walks them into one string instead of flattening each line on its own.
  #texts: string[] = []
  #textUnits = 0

  constructor (destination: Writable) {
    this.#destination = destination
  }

  /** Adds the bytes `[start, end)` of `source` and a `\n`: a line exactly as it was read. */
  line (source: Buffer, start: number, end: number): void {
    if (this.#texts.length > 0) this.#encodeTexts()
    const size = end - start + 1
    if (size > CHUNK_BYTES) {
      this.#flushBuffer()
      this.#write(Buffer.concat([source.subarray(start, end), Buffer.of(NEWLINE)]))
      return
    }
    this.#room(size)
    this.#length += source.copy(this.#buffer, this.#length, start, end)
    this.#buffer[this.#length++] = NEWLINE
  }

  /** Adds whole lines, each ending in `\n`, as they are; `bytes` must not change afterwards. */
  lines (bytes: Buffer): void {
    if (bytes.length < DIRECT_BYTES) return this.line(bytes, 0, bytes.length - 1)
    if (this.#texts.length > 0) this.#encodeTexts()
    this.#flushBuffer()
    this.#write(bytes)
  }

  /** Adds text, encoded as UTF-8. */
  text (text: string): void {
    this.#texts.push(text)
    this.#textUnits += text.length
    if (this.#textUnits * MAX_BYTES_PER_UNIT >= CHUNK_BYTES / 4) this.#encodeTexts()
  }

  #encodeTexts (): void {
    const text = this.#texts.length === 1 ? this.#texts[0] as string : this.#texts.join('')
    this.#texts = []
    this.#textUnits = 0
    const worst = text.length * MAX_BYTES_PER_UNIT
    if (worst > CHUNK_BYTES) {
      this.#flushBuffer()
      this.#write(Buffer.from(text))
      return
    }
    this.#room(worst)
    this.#length += this.#buffer.write(text, this.#length)
  }

  /**
   * Room for `size` bytes at {@link Output.length} of the buffer returned, for a printer that writes
   * a line's bytes itself; {@link Output.commit} then counts them.
   */
  reserve (size: number): Buffer {
    if (this.#texts.length > 0) this.#encodeTexts()
    this.#room(size)
    return this.#buffer
  }

  /** Where the next byte goes in the buffer {@link Output.reserve} returned. */
  get length (): number {
    return this.#length
  }

  /** The buffer {@link Output.reserve} returned holds output up to `length` now. */
  commit (length: number): void {
    this.#length = length
  }

  /** Writes what was gathered and waits until the destination wants more. */
  async drain (): Promise<void> {
    if (this.#texts.length > 0) this.#encodeTexts()
    this.#flushBuffer()
    if (!this.#blocked) return
    this.#blocked = false
    await once(this.#destination, 'drain')
  }

  /** Makes room for `size` more bytes, writing what the buffer holds first when they do not fit. */
  #room (size: number): void {
    if (this.#length + size <= this.#buffer.length) return
    this.#flushBuffer()
    if (size > this.#buffer.length) this.#buffer = Buffer.allocUnsafe(Math.max(size, CHUNK_BYTES))
  }

  #flushBuffer (): void {
    if (this.#length === 0) return
    this.#write(this.#buffer.subarray(0, this.#length))
    // The bytes written are the destination's now; the rest of the buffer is not, and takes what
    // comes next. A new megabyte for every write cost a client that drains after every frame
    // (attach) more than its records did: page faults and garbage collection.
    const rest = this.#buffer.length - this.#length
    this.#buffer = rest >= MIN_REST_BYTES ? this.#buffer.subarray(this.#length) : Buffer.allocUnsafe(CHUNK_BYTES)
    this.#length = 0
  }

  #write (bytes: Buffer): void {
    if (!this.#destination.write(bytes)) this.#blocked = true
  }
}
