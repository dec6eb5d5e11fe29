import { colorLevelLabel, fieldKeyColor, type ColorLevel } from './colors.ts'
import { IDENTITY_KEYS, formatClock, levelLabel } from './columns.ts'
import { drawKey } from './fields.ts'
import { FlatJsonReader, LITERAL, QUOTED_STRING, readIntegerToken, type FlatKey } from './flat-json.ts'
import { TagBytes } from './tag-bytes.ts'

// The default pretty line (see createLineFormatter), printed straight from the bytes of a flat
// record line (src/format/flat-json.ts) into an output buffer: no JSON.parse, no strings built and
// joined, no UTF-8 encoding. What repeats from record to record is made once by the code that makes
// it for parsed records (formatClock, levelLabel, formatTag, drawKey) and kept as bytes, so that
// both paths print the same bytes. Lines it cannot print this way are left to that code.

/** Slots of the keys a line's columns are made of (or that decide about them). */
const LEVEL = 0
const TIME = 1
const PID = 2
const TID = 3
const PROC = 4
const WORKER = 5
const THREAD = 6
const MSG = 7
const NAME = 8
const STACK = 9
const TYPE = 10
const SLOTS: Readonly<Record<string, number>> = {
  level: LEVEL, time: TIME, pid: PID, tid: TID, proc: PROC, worker: WORKER, thread: THREAD, msg: MSG, name: NAME, stack: STACK, type: TYPE
}
const NO_SLOT = -1

interface KeyMeaning {
  /** The key's slot among the columns, or NO_SLOT. */
  readonly slot: number
  /** Printed among the fields (`name` not when it is the proc's name: see #hiddenName). */
  readonly field: boolean
  /** `key=` as a field draws it. */
  readonly drawn: Buffer
}

/** A level's label as drawn, and the blanks that pad it to the level column's width. */
interface LevelPiece {
  readonly label: Buffer
  readonly gap: number
}

/** Where the printer writes: room for `size` bytes at `length` of the buffer `reserve` returns. */
export interface ByteOutput {
  reserve (size: number): Buffer
  readonly length: number
  /** The line ends at `length` now. */
  commit (length: number): void
}

const LEVEL_WIDTH = 5
const CLOCK_BYTES = 12
/** Epoch milliseconds a Date can hold, minus the second the clock's prefix is computed from. */
const MAX_TIME = 8.64e15 - 1000
const NEWLINE = 0x0a
const SPACE = 0x20
const QUOTE = 0x22
const ZERO = 0x30

function sameRanges (source: Buffer, start: number, end: number, otherStart: number, otherEnd: number): boolean {
  if (end - start !== otherEnd - otherStart) return false
  for (let index = 0; index < end - start; index++) {
    if (source[start + index] !== source[otherStart + index]) return false
  }
  return true
}

function putBytes (out: Buffer, at: number, bytes: Buffer): number {
  const length = bytes.length
  for (let index = 0; index < length; index++) out[at + index] = bytes[index] as number
  return at + length
}

function putRange (out: Buffer, at: number, source: Buffer, start: number, end: number): number {
  let to = at
  for (let index = start; index < end; index++) out[to++] = source[index] as number
  return to
}

function putBlanks (out: Buffer, at: number, count: number): number {
  for (let index = 0; index < count; index++) out[at + index] = SPACE
  return at + count
}

/**
 * Prints records in the default pretty line, without color of the whole line (`colorLine`) and
 * without a template, byte for byte as `createLineFormatter` prints them once parsed.
 */
export class DirectLinePrinter {
  readonly #colorLevel: ColorLevel
  readonly #reader: FlatJsonReader<KeyMeaning>
  readonly #tags: TagBytes
  readonly #levels = new Map<number, LevelPiece>()
  /** Per slot, the field index of the line being printed; -1 when it lacks that key. */
  readonly #columns = new Int32Array(Object.keys(SLOTS).length)
  #clockSecond = Number.NaN
  #clockPrefix: Buffer | undefined
  // The line being printed: its columns as drawn, and whether its `name` field is shown.
  #clock: Buffer | undefined
  #ms = 0
  #level: LevelPiece | undefined
  #tag: Buffer | undefined
  /** The field index of a `name` the tag shows already, else -1. */
  #hiddenName = -1

  constructor (colorLevel: ColorLevel) {
    this.#colorLevel = colorLevel
    this.#tags = new TagBytes(colorLevel)
    const keyStyle = fieldKeyColor(colorLevel)
    this.#reader = new FlatJsonReader((name) => {
      const slot = Object.hasOwn(SLOTS, name) ? SLOTS[name] as number : NO_SLOT
      return { slot, field: !IDENTITY_KEYS.has(name), drawn: Buffer.from(drawKey(name, '', keyStyle)) }
    })
  }

  /**
   * Prints the line `[start, end)` of `source` and its `\n`; `false`, with nothing written, when
   * the line is not a flat record or needs what only the parsed path does (it must be parsed then).
   */
  print (source: Buffer, start: number, end: number, output: ByteOutput): boolean {
    if (!this.#reader.read(source, start, end) || !this.#drawColumns(source)) return false
    const msg = this.#columns[MSG] as number
    const { starts, ends } = this.#reader
    const msgStart = msg === -1 ? 0 : starts[msg] as number
    const msgEnd = msg === -1 ? 0 : ends[msg] as number
    // Sizes first, so that the buffer is reserved once.
    let columns = 0
    let gap = 0
    if (this.#clock !== undefined) { columns = CLOCK_BYTES; gap = 1 }
    if (this.#level !== undefined) { columns += gap + this.#level.label.length; gap = this.#level.gap }
    if (this.#tag !== undefined) { columns += gap + this.#tag.length; gap = 1 }
    if (msgEnd > msgStart) { columns += gap + msgEnd - msgStart; gap = 1 }
    const fieldBytes = this.#fieldBytes()
    // Fields follow two blanks, or the level's padding when that is wider.
    const fieldGap = fieldBytes === 0 || columns === 0 ? 0 : gap > 1 ? gap : 2
    const out = output.reserve(columns + fieldGap + fieldBytes + 1)
    let at = output.length
    gap = 0
    if (this.#clock !== undefined) { at = this.#putClock(out, at, this.#clock); gap = 1 }
    if (this.#level !== undefined) { at = putBytes(out, putBlanks(out, at, gap), this.#level.label); gap = this.#level.gap }
    if (this.#tag !== undefined) { at = putBytes(out, putBlanks(out, at, gap), this.#tag); gap = 1 }
    if (msgEnd > msgStart) at = putRange(out, putBlanks(out, at, gap), source, msgStart, msgEnd)
    at = this.#putFields(out, at, source, fieldGap)
    out[at++] = NEWLINE
    output.commit(at)
    return true
  }

  /** Finds the columns' fields and draws them; `false` when the parsed path must print the line. */
  #drawColumns (source: Buffer): boolean {
    const { count, keys, starts, ends, kinds } = this.#reader
    const columns = this.#columns
    columns.fill(-1)
    for (let field = 0; field < count; field++) {
      const slot = (keys[field] as FlatKey<KeyMeaning>).meaning.slot
      if (slot !== NO_SLOT) columns[slot] = field
    }
    const level = columns[LEVEL] as number
    const time = columns[TIME] as number
    const name = columns[NAME] as number
    const proc = columns[PROC] as number
    const stack = columns[STACK] as number
    const type = columns[TYPE] as number
    // A record that is itself a serialized error prints its stack below.
    if (stack !== -1 && type !== -1 && kinds[stack] !== LITERAL && kinds[type] !== LITERAL) return false
    this.#clock = undefined
    if (time !== -1) {
      this.#ms = kinds[time] === LITERAL ? readIntegerToken(source, starts[time] as number, ends[time] as number) : Number.NaN
      if (!(this.#ms >= 0 && this.#ms <= MAX_TIME)) return false
      this.#clock = this.#clockOf(this.#ms)
    }
    this.#level = undefined
    if (level !== -1) {
      const value = kinds[level] === LITERAL ? readIntegerToken(source, starts[level] as number, ends[level] as number) : Number.NaN
      if (Number.isNaN(value)) return false
      this.#level = this.#levelOf(value)
    }
    const tag = this.#tags.of(source, this.#reader, columns[PID] as number, columns[TID] as number, proc, columns[WORKER] as number, columns[THREAD] as number)
    if (tag === false) return false
    this.#tag = tag
    // pino's `name` is also the default process name: not repeated when it is the proc's value.
    const sameAsProc = name !== -1 && proc !== -1 && (kinds[name] === LITERAL) === (kinds[proc] === LITERAL) &&
      sameRanges(source, starts[name] as number, ends[name] as number, starts[proc] as number, ends[proc] as number)
    this.#hiddenName = sameAsProc ? name : -1
    return true
  }

  /** The bytes of the fields, with a blank between two. */
  #fieldBytes (): number {
    const { count, keys, starts, ends, kinds } = this.#reader
    const hiddenName = this.#hiddenName
    let bytes = -1
    for (let field = 0; field < count; field++) {
      const meaning = (keys[field] as FlatKey<KeyMeaning>).meaning
      if (!meaning.field || field === hiddenName) continue
      bytes += 1 + meaning.drawn.length + (ends[field] as number) - (starts[field] as number) + (kinds[field] === QUOTED_STRING ? 2 : 0)
    }
    return bytes === -1 ? 0 : bytes
  }

  #putFields (out: Buffer, start: number, source: Buffer, firstGap: number): number {
    const { count, keys, starts, ends, kinds } = this.#reader
    const hiddenName = this.#hiddenName
    let at = start
    let gap = firstGap
    for (let field = 0; field < count; field++) {
      const meaning = (keys[field] as FlatKey<KeyMeaning>).meaning
      if (!meaning.field || field === hiddenName) continue
      at = putBytes(out, putBlanks(out, at, gap), meaning.drawn)
      gap = 1
      const quoted = kinds[field] === QUOTED_STRING
      if (quoted) out[at++] = QUOTE
      at = putRange(out, at, source, starts[field] as number, ends[field] as number)
      if (quoted) out[at++] = QUOTE
    }
    return at
  }

  // `HH:MM:ss.` changes once a second: it is made by formatClock, the milliseconds here.
  #clockOf (ms: number): Buffer | undefined {
    const second = Math.floor(ms / 1000)
    if (second !== this.#clockSecond) {
      this.#clockSecond = second
      const clock = formatClock(second * 1000)
      this.#clockPrefix = clock === undefined ? undefined : Buffer.from(clock.slice(0, CLOCK_BYTES - 3))
    }
    return this.#clockPrefix
  }

  #putClock (out: Buffer, at: number, prefix: Buffer): number {
    const millis = this.#ms % 1000
    const end = putBytes(out, at, prefix)
    out[end] = ZERO + Math.floor(millis / 100)
    out[end + 1] = ZERO + Math.floor(millis / 10) % 10
    out[end + 2] = ZERO + millis % 10
    return end + 3
  }

  #levelOf (value: number): LevelPiece {
    let piece = this.#levels.get(value)
    if (piece === undefined) {
      const { label, severity } = levelLabel(value) as { label: string, severity: number }
      piece = { label: Buffer.from(colorLevelLabel(label, severity, this.#colorLevel)), gap: Math.max(1, LEVEL_WIDTH + 1 - label.length) }
      this.#levels.set(value, piece)
    }
    return piece
  }
}
