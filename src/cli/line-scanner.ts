import { SELECTED, UNDECIDED, type Verdict } from './flat-selection.ts'
import type { LineSink } from './line-sink.ts'
import type { LinesHandler } from './line-splitter.ts'
import type { RecordTest } from '../select/record-test.ts'
import type { Prefilter } from '../select/prefilter.ts'

const OPEN_BRACE = 0x7b

/** What a {@link LineScanner} tests lines with, and where it sends them. */
export interface ScannerOptions {
  /** Byte tests that reject most lines before they are parsed; `undefined` parses every object line. */
  readonly prefilter: Prefilter | undefined
  readonly test: RecordTest
  /** `--grep`: a line that is not JSON is shown only when this matches its text. */
  readonly grep: RegExp | undefined
  readonly sink: LineSink
  /** The sink wants the records that are not selected too (context lines): no prefilter then. */
  readonly everyRecord: boolean
  /** The sink shows lines that are not JSON (pretty output); otherwise they are dropped unread. */
  readonly textLines: boolean
  /**
   * Decides a record line that passed the prefilter, and prints it when selected, without parsing
   * it, when it can: `UNDECIDED` when it did not (the line is parsed, tested and goes to the sink).
   */
  readonly decideUnparsed?: ((buffer: Buffer, start: number, end: number) => Verdict) | undefined
}

function firstNonBlank (text: string, start: number, end: number): number {
  let at = start
  while (at < end && (text.charCodeAt(at) === 0x20 || text.charCodeAt(at) === 0x09)) at++
  return at < end ? text.charCodeAt(at) : -1
}

function parseObject (buffer: Buffer, start: number, end: number): Record<string, unknown> | undefined {
  let value: unknown
  try {
    value = JSON.parse(buffer.toString('utf8', start, end))
  } catch {
    return undefined
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? value as Record<string, unknown> : undefined
}

/**
 * Sorts lines into records and other lines, selects records and hands both to the sink. Only a line
 * that starts with `{` can be a record; the prefilter may reject it on its bytes, and only the rest
 * are parsed. {@link LineScanner.matches} counts what was selected, for the exit code.
 */
export class LineScanner {
  /** Records selected, plus lines that are not JSON picked by `--grep`. */
  matches = 0
  readonly #options: ScannerOptions

  constructor (options: ScannerOptions) {
    this.#options = options
  }

  /**
   * The {@link LinesHandler} of the splitter, when only selected records are wanted (no text
   * lines, no context): jumps from one candidate line to the next, and visits no other line.
   */
  get jump (): LinesHandler | undefined {
    const { prefilter, textLines, everyRecord } = this.#options
    if (prefilter === undefined || textLines || everyRecord) return undefined
    return (buffer, text, start, end) => {
      for (let from = start; from < end;) {
        const hit = prefilter.nextCandidate(buffer, text, from, end)
        if (hit === -1) return
        const lineStart = Math.max(start, text.lastIndexOf('\n', hit) + 1)
        const lineEnd = text.indexOf('\n', hit)
        this.scan(buffer, text, lineStart, lineEnd)
        from = lineEnd + 1
      }
    }
  }

  /** Handles one line: the {@link LineHandler} of the splitter. */
  readonly scan = (buffer: Buffer, text: string, start: number, end: number): void => {
    const { prefilter, sink, everyRecord, decideUnparsed } = this.#options
    if (firstNonBlank(text, start, end) !== OPEN_BRACE) return this.#text(buffer, start, end)
    if (!everyRecord && prefilter !== undefined && !prefilter.mayPass(buffer, text, start, end)) return
    if (decideUnparsed !== undefined) {
      const verdict = decideUnparsed(buffer, start, end)
      if (verdict === SELECTED) this.matches++
      if (verdict !== UNDECIDED) return
    }
    const record = parseObject(buffer, start, end)
    if (record === undefined) return this.#text(buffer, start, end)
    const selected = this.#options.test(record)
    if (selected) this.matches++
    if (selected || everyRecord) sink.record(buffer, start, end, record, selected)
  }

  #text (buffer: Buffer, start: number, end: number): void {
    if (!this.#options.textLines) return
    const grep = this.#options.grep
    if (grep !== undefined) {
      if (!grep.test(buffer.toString('utf8', start, end))) return
      this.matches++
    }
    this.#options.sink.text(buffer, start, end)
  }
}
