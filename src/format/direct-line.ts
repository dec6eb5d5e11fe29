import { colorLevelLabel, fieldKeyColor, type ColorLevel, type Style } from './colors.ts'
import { IDENTITY_KEYS, formatClock, formatTag, levelLabel } from './columns.ts'
import { drawKey } from './fields.ts'
import { FlatJsonReader, LITERAL, QUOTED_STRING, type FlatKey } from './flat-json.ts'

// The default pretty line (see createLineFormatter), printed straight from the bytes of a flat
// record line (src/format/flat-json.ts) into an output buffer: no JSON.parse, no strings built and
// joined, no UTF-8 encoding. What repeats from record to record is made once by the code that makes
// it for parsed records (formatClock, levelLabel, formatTag, drawKey) and kept as bytes, so that
// both paths print the same bytes. Lines it cannot print this way are left to that code.

/** What a key is to the line: a column, a key the columns hide, or a field. */
const FIELD = 0
const HIDDEN = 1
const LEVEL = 2
const TIME = 3
const PID = 4
const TID = 5
const PROC = 6
const WORKER = 7
const THREAD = 8
const MSG = 9
const NAME = 10
const STACK = 11
const TYPE = 12

const COLUMN_ROLES: Readonly<Record<string, number>> = {
  level: LEVEL, time: TIME, pid: PID, tid: TID, proc: PROC, worker: WORKER, thread: THREAD, msg: MSG
}

interface KeyMeaning {
  readonly role: number
  /** `key=` as a field draws it. */
  readonly drawn: Buffer
}

/** A level's label as drawn, and the blanks that pad it to the level column's width. */
interface LevelPiece {
  readonly label: Buffer
  readonly gap: number
}

/** A source's tag as drawn (`undefined`: the record shows none), and the names it was made from. */
interface TagPiece {
  readonly tid: number
  readonly proc: string | undefined
  readonly worker: string | undefined
  readonly thread: string | undefined
  readonly tag: Buffer | undefined
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
const TAG_CACHE_LIMIT = 4096
const NEWLINE = 0x0a
const SPACE = 0x20
const QUOTE = 0x22
const ZERO = 0x30

/** The integer a canonical number token spells, or NaN (a fraction). */
function readInteger (source: Buffer, start: number, end: number): number {
  const negative = source[start] === 0x2d
  let value = 0
  for (let index = negative ? start + 1 : start; index < end; index++) {
    const digit = (source[index] as number) - ZERO
    if (digit < 0 || digit > 9) return Number.NaN
    value = value * 10 + digit
  }
  return negative ? -value : value
}

function sameText (source: Buffer, start: number, end: number, expected: string | undefined): boolean {
  if (expected === undefined || expected.length !== end - start) return false
  for (let index = 0; index < expected.length; index++) {
    if (source[start + index] !== expected.charCodeAt(index)) return false
  }
  return true
}

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
  readonly #levels = new Map<number, LevelPiece>()
  readonly #tags = new Map<number, TagPiece[]>()
  #tagCount = 0
  #clockSecond = Number.NaN
  #clockPrefix: Buffer | undefined

  constructor (colorLevel: ColorLevel) {
    this.#colorLevel = colorLevel
    const keyStyle: Style = fieldKeyColor(colorLevel)
    this.#reader = new FlatJsonReader((name) => ({
      role: COLUMN_ROLES[name] ?? (IDENTITY_KEYS.has(name) ? HIDDEN : name === 'name' ? NAME : name === 'stack' ? STACK : name === 'type' ? TYPE : FIELD),
      drawn: Buffer.from(drawKey(name, '', keyStyle))
    }))
  }

  /**
   * Prints the line `[start, end)` of `source` and its `\n`;
   * `false`, with nothing written, when the line is not a flat record (it must be parsed then).
   */
  print (source: Buffer, start: number, end: number, output: ByteOutput): boolean {
    const reader = this.#reader
    if (!reader.read(source, start, end)) return false
    const { count, keys, starts, ends, kinds } = reader
    let level = -1, time = -1, pid = -1, tid = -1, proc = -1, worker = -1, thread = -1, msg = -1, name = -1
    let stack = false, type = false
    for (let field = 0; field < count; field++) {
      switch ((keys[field] as FlatKey<KeyMeaning>).meaning.role) {
        case LEVEL: level = field; break
        case TIME: time = field; break
        case PID: pid = field; break
        case TID: tid = field; break
        case PROC: proc = field; break
        case WORKER: worker = field; break
        case THREAD: thread = field; break
        case MSG: msg = field; break
        case NAME: name = field; break
        case STACK: stack = kinds[field] !== LITERAL; break
        case TYPE: type = kinds[field] !== LITERAL; break
      }
    }
    // A record that is itself a serialized error prints its stack below: the parsed path's work.
    if (stack && type) return false
    let clock: Buffer | undefined
    let ms = 0
    if (time !== -1) {
      ms = kinds[time] === LITERAL ? readInteger(source, starts[time] as number, ends[time] as number) : Number.NaN
      if (!(ms >= 0 && ms <= MAX_TIME)) return false
      clock = this.#clockOf(ms)
    }
    let levelPiece: LevelPiece | undefined
    if (level !== -1) {
      const value = kinds[level] === LITERAL ? readInteger(source, starts[level] as number, ends[level] as number) : Number.NaN
      if (Number.isNaN(value)) return false
      levelPiece = this.#levelOf(value)
    }
    const tag = this.#tagOf(source, pid, tid, proc, worker, thread)
    if (tag === false) return false
    const msgStart = msg === -1 ? 0 : starts[msg] as number
    const msgEnd = msg === -1 ? 0 : ends[msg] as number
    // pino's `name` is also the default process name: not repeated when it is the proc's value.
    const hideName = name !== -1 && proc !== -1 && (kinds[name] === LITERAL) === (kinds[proc] === LITERAL) &&
      sameRanges(source, starts[name] as number, ends[name] as number, starts[proc] as number, ends[proc] as number)

    // Sizes first, so that the buffer is reserved once and nothing is written for a declined line.
    let columns = 0
    let gap = 0
    if (clock !== undefined) { columns = CLOCK_BYTES; gap = 1 }
    if (levelPiece !== undefined) { columns += gap + levelPiece.label.length; gap = levelPiece.gap }
    if (tag !== undefined) { columns += gap + tag.length; gap = 1 }
    if (msgEnd > msgStart) { columns += gap + msgEnd - msgStart; gap = 1 }
    let fieldBytes = -1 // a blank between fields: one fewer than the fields
    for (let field = 0; field < count; field++) {
      const meaning = (keys[field] as FlatKey<KeyMeaning>).meaning
      if (meaning.role > HIDDEN && meaning.role < NAME) continue
      if (meaning.role === HIDDEN || (field === name && hideName)) continue
      fieldBytes += 1 + meaning.drawn.length + (ends[field] as number) - (starts[field] as number) + (kinds[field] === QUOTED_STRING ? 2 : 0)
    }
    // Fields follow two blanks, or the level's padding when that is wider.
    if (fieldBytes === -1) fieldBytes = 0
    const fieldGap = fieldBytes === 0 || columns === 0 ? 0 : gap > 1 ? gap : 2
    const out = output.reserve(columns + fieldGap + fieldBytes + 1)
    let at = output.length

    gap = 0
    if (clock !== undefined) { at = this.#putClock(out, at, clock, ms); gap = 1 }
    if (levelPiece !== undefined) { at = putBytes(out, putBlanks(out, at, gap), levelPiece.label); gap = levelPiece.gap }
    if (tag !== undefined) { at = putBytes(out, putBlanks(out, at, gap), tag); gap = 1 }
    if (msgEnd > msgStart) at = putRange(out, putBlanks(out, at, gap), source, msgStart, msgEnd)
    let separator = fieldGap
    for (let field = 0; field < count; field++) {
      const meaning = (keys[field] as FlatKey<KeyMeaning>).meaning
      if (meaning.role > HIDDEN && meaning.role < NAME) continue
      if (meaning.role === HIDDEN || (field === name && hideName)) continue
      at = putBytes(out, putBlanks(out, at, separator), meaning.drawn)
      separator = 1
      const quoted = kinds[field] === QUOTED_STRING
      if (quoted) out[at++] = QUOTE
      at = putRange(out, at, source, starts[field] as number, ends[field] as number)
      if (quoted) out[at++] = QUOTE
    }
    out[at++] = NEWLINE
    output.commit(at)
    return true
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

  #putClock (out: Buffer, at: number, prefix: Buffer, ms: number): number {
    const millis = ms % 1000
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

  /** The source tag of the fields at these indexes (-1: absent); `false` when the ids are not integers. */
  #tagOf (source: Buffer, pid: number, tid: number, proc: number, worker: number, thread: number): Buffer | undefined | false {
    const { starts, ends, kinds } = this.#reader
    const pidValue = pid === -1 ? Number.NaN : kinds[pid] === LITERAL ? readInteger(source, starts[pid] as number, ends[pid] as number) : Number.NaN
    const tidValue = tid === -1 ? Number.NaN : kinds[tid] === LITERAL ? readInteger(source, starts[tid] as number, ends[tid] as number) : Number.NaN
    if ((pid !== -1 && Number.isNaN(pidValue)) || (tid !== -1 && Number.isNaN(tidValue))) return false
    const candidates = this.#tags.get(pidValue)
    if (candidates !== undefined) {
      for (const piece of candidates) {
        if (Object.is(piece.tid, tidValue) && this.#sameName(source, proc, piece.proc) &&
          this.#sameName(source, worker, piece.worker) && this.#sameName(source, thread, piece.thread)) return piece.tag
      }
    }
    if (++this.#tagCount > TAG_CACHE_LIMIT) {
      this.#tags.clear()
      this.#tagCount = 1
    }
    const record: Record<string, unknown> = {}
    if (pid !== -1) record['pid'] = pidValue
    if (tid !== -1) record['tid'] = tidValue
    const names = { proc: this.#nameAt(source, proc), worker: this.#nameAt(source, worker), thread: this.#nameAt(source, thread) }
    for (const [key, field] of [['proc', proc], ['worker', worker], ['thread', thread]] as const) {
      if (field !== -1) record[key] = kinds[field] === LITERAL ? JSON.parse(names[key] as string) : names[key]
    }
    const tagText = formatTag(record, this.#colorLevel)
    const piece = { tid: tidValue, ...names, tag: tagText === undefined ? undefined : Buffer.from(tagText) }
    if (candidates === undefined) this.#tags.set(pidValue, [piece])
    else candidates.push(piece)
    return piece.tag
  }

  // A name prints as the tag prints it: a string and a literal with the same text print alike.
  #nameAt (source: Buffer, field: number): string | undefined {
    return field === -1 ? undefined : source.toString('latin1', this.#reader.starts[field], this.#reader.ends[field])
  }

  #sameName (source: Buffer, field: number, name: string | undefined): boolean {
    if (field === -1) return name === undefined
    return sameText(source, this.#reader.starts[field] as number, this.#reader.ends[field] as number, name)
  }
}
