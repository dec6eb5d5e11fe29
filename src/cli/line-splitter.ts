/**
 * Receives one line, without its `\n`, as the range `[start, end)` of `buffer`. `text` is the same
 * bytes decoded as latin1 (one character per byte, so the offsets are the same): searching it is
 * several times faster than searching the buffer.
 */
export type LineHandler = (buffer: Buffer, text: string, start: number, end: number) => void

/**
 * Receives a run of whole lines, `[start, end)` with a `\n` at `end - 1`, when the receiver can
 * do better than visiting them one by one (jump to the lines that hold a key).
 */
export type LinesHandler = LineHandler

/**
 * Splits chunks of bytes into lines without decoding them as UTF-8: a line is a range of its
 * chunk, so that it can be tested on bytes and re-emitted exactly as it was read. A line split
 * across chunks is joined once, when its end arrives, so lines of any length cost one copy.
 */
export class LineSplitter {
  readonly #onLine: LineHandler
  readonly #onLines: LinesHandler | undefined
  #pieces: Buffer[] = []

  constructor (onLine: LineHandler, onLines?: LinesHandler) {
    this.#onLine = onLine
    this.#onLines = onLines
  }

  /** Hands every line that `chunk` completes to the handler, and keeps what follows the last `\n`. */
  push (chunk: Buffer): void {
    const text = chunk.toString('latin1')
    let end = text.indexOf('\n')
    if (end === -1) {
      this.#pieces.push(chunk)
      return
    }
    let start = 0
    if (this.#pieces.length > 0) {
      this.#pieces.push(chunk.subarray(0, end))
      this.#joinPieces()
      start = end + 1
      end = text.indexOf('\n', start)
    }
    if (this.#onLines !== undefined) {
      const last = text.lastIndexOf('\n')
      if (last >= start) this.#onLines(chunk, text, start, last + 1)
      start = last + 1
      end = -1
    }
    const onLine = this.#onLine
    for (; end !== -1; end = text.indexOf('\n', start)) {
      onLine(chunk, text, start, end)
      start = end + 1
    }
    if (start < chunk.length) this.#pieces.push(chunk.subarray(start))
  }

  /** Hands over a last line that has no `\n`, if any. */
  finish (): void {
    if (this.#pieces.length > 0) this.#joinPieces()
  }

  /** Forgets a partial line (the file it came from was truncated). */
  discard (): void {
    this.#pieces = []
  }

  #joinPieces (): void {
    const line = Buffer.concat(this.#pieces)
    this.#pieces = []
    this.#onLine(line, line.toString('latin1'), 0, line.length)
  }
}
