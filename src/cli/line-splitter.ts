const NEWLINE = 0x0a

/** Receives one line, without its `\n`, as a range of bytes of `buffer` (valid during the call only). */
export type LineHandler = (buffer: Buffer, start: number, end: number) => void

/**
 * Splits chunks of bytes into lines without decoding them: a line is a range of its chunk, so that
 * it can be tested on bytes and re-emitted as it was read. A line split across chunks is joined
 * once, when its end arrives, so lines of any length cost one copy.
 */
export class LineSplitter {
  readonly #onLine: LineHandler
  #pieces: Buffer[] = []

  constructor (onLine: LineHandler) {
    this.#onLine = onLine
  }

  /** Hands every line that `chunk` completes to the handler, and keeps what follows the last `\n`. */
  push (chunk: Buffer): void {
    let end = chunk.indexOf(NEWLINE)
    if (end === -1) {
      this.#pieces.push(chunk)
      return
    }
    if (this.#pieces.length > 0) {
      this.#pieces.push(chunk.subarray(0, end))
      const line = Buffer.concat(this.#pieces)
      this.#pieces = []
      this.#onLine(line, 0, line.length)
    } else {
      this.#onLine(chunk, 0, end)
    }
    let start = end + 1
    const onLine = this.#onLine
    for (end = chunk.indexOf(NEWLINE, start); end !== -1; end = chunk.indexOf(NEWLINE, start)) {
      onLine(chunk, start, end)
      start = end + 1
    }
    if (start < chunk.length) this.#pieces.push(chunk.subarray(start))
  }

  /** Hands over a last line that has no `\n`, if any. */
  finish (): void {
    if (this.#pieces.length === 0) return
    const line = Buffer.concat(this.#pieces)
    this.#pieces = []
    this.#onLine(line, 0, line.length)
  }

  /** Forgets a partial line (the file it came from was truncated). */
  discard (): void {
    this.#pieces = []
  }
}
