// Reads a JSON object line in place, on its bytes (typed-array loads are cheaper than charCodeAt on
// the chunk's text, which is an external string), when the line is
// a flat record as JSON.stringify writes one: no whitespace, no nested object or array, printable
// ASCII without escapes, numbers that print back exactly as written, no duplicate and no
// integer-like keys (JSON.parse would move those first). For such a line, what JSON.parse would
// build is known from the bytes alone, so a printer can copy values instead of parsing them. Any
// other line is declined, to be parsed for real: declining is always correct, only slower.

const QUOTE = 0x22
const COMMA = 0x2c
const COLON = 0x3a
const BACKSLASH = 0x5c
const OPEN_BRACE = 0x7b
const CLOSE_BRACE = 0x7d
const SPACE = 0x20
const EQUALS = 0x3d
const MINUS = 0x2d
const DOT = 0x2e
const ZERO = 0x30
const NINE = 0x39
const TILDE = 0x7e

/** A string value that prints bare as a field value. */
export const BARE_STRING = 0
/** A string value that a field value quotes: empty, or holding a space or `=`. */
export const QUOTED_STRING = 1
/** A number, `true`, `false` or `null`: `String(value)` is the token as written. */
export const LITERAL = 2
/** What a value is; its printable text is always `[start, end)` of the line (a string's without quotes). */
export type ValueKind = typeof BARE_STRING | typeof QUOTED_STRING | typeof LITERAL

/** More fields than this, and the line is left to JSON.parse. */
const MAX_FIELDS = 256
/** Distinct keys remembered; past this (keys that are data), new keys are left to JSON.parse. */
const MAX_KEYS = 4096
/** Past this many digits a number may not print back as written (15 always round-trip a double). */
const MAX_DIGITS = 15
/** `0.000001` prints as written, `0.0000001` as `1e-7`. */
const MAX_FRACTION_ZEROS = 5
const INTEGER_KEY = /^\d+$/

/** A key, interned: every line with this key gets the same object, with what a printer attached. */
export interface FlatKey<Meaning> {
  readonly name: string
  /** The name's bytes (printable ASCII: one byte a character). */
  readonly bytes: Uint8Array
  readonly meaning: Meaning
  /** The key that followed this one on the last line, and the one before: lines repeat their shape. */
  next: FlatKey<Meaning> | undefined
  previousNext: FlatKey<Meaning> | undefined
  /** The number of the last line read with this key, which tells a duplicate. */
  line: number
}

function isDigit (code: number): boolean {
  return code >= ZERO && code <= NINE
}

/**
 * The end of the number at `at` when `String(JSON.parse(token))` is the token itself, else -1:
 * no exponent, no `-0`, no leading or trailing zero, at most 15 digits, not below 0.000001.
 */
export function canonicalNumberEnd (bytes: Uint8Array, at: number, end: number): number {
  let index = bytes[at] === MINUS ? at + 1 : at
  const integerStart = index
  const first = bytes[index] ?? 0
  if (first === ZERO) index++
  else if (first > ZERO && first <= NINE) while (index < end && isDigit(bytes[index] as number)) index++
  else return -1
  let digits = index - integerStart
  if (index < end && bytes[index] === DOT) {
    const fractionStart = ++index
    while (index < end && isDigit(bytes[index] as number)) index++
    if (index === fractionStart || bytes[index - 1] === ZERO) return -1
    digits += index - fractionStart
    if (first === ZERO) {
      let zeros = fractionStart
      while (bytes[zeros] === ZERO) zeros++
      if (zeros - fractionStart > MAX_FRACTION_ZEROS) return -1
    }
  } else if (first === ZERO && integerStart > at) {
    return -1 // -0 prints as 0
  }
  const next = index < end ? bytes[index] : 0
  if (next === 0x65 || next === 0x45 || digits > MAX_DIGITS) return -1
  return index
}

function literalEnd (bytes: Uint8Array, at: number, end: number, literal: string): number {
  if (at + literal.length > end) return -1
  for (let index = 0; index < literal.length; index++) {
    if (bytes[at + index] !== literal.charCodeAt(index)) return -1
  }
  return at + literal.length
}

/** The integer a canonical number token spells, or NaN when it has a fraction. */
export function readIntegerToken (bytes: Uint8Array, start: number, end: number): number {
  const negative = bytes[start] === MINUS
  let value = 0
  for (let index = negative ? start + 1 : start; index < end; index++) {
    const digit = (bytes[index] as number) - ZERO
    if (digit < 0 || digit > 9) return Number.NaN
    value = value * 10 + digit
  }
  return negative ? -value : value
}

/** The values of the fields of a line read: field `i` is `[starts[i], ends[i])`, of kind `kinds[i]`. */
export interface FlatValues {
  readonly starts: Int32Array
  readonly ends: Int32Array
  readonly kinds: Uint8Array
}

/**
 * Reads flat record lines (see the top of this file) into parallel arrays of fields, reused from
 * line to line: field `i` has `keys[i]`, and its value is `[starts[i], ends[i])` of kind `kinds[i]`.
 * Keys are interned with the meaning `describeKey` gives them, once per distinct key.
 */
export class FlatJsonReader<Meaning> implements FlatValues {
  /** Fields of the last line read. */
  count = 0
  readonly keys: Array<FlatKey<Meaning>> = []
  readonly starts = new Int32Array(MAX_FIELDS)
  readonly ends = new Int32Array(MAX_FIELDS)
  readonly kinds = new Uint8Array(MAX_FIELDS)
  readonly #describeKey: (name: string) => Meaning
  readonly #interned = new Map<string, FlatKey<Meaning>>()
  #first: FlatKey<Meaning> | undefined
  #line = 0

  constructor (describeKey: (name: string) => Meaning) {
    this.#describeKey = describeKey
  }

  /** Reads the line `[start, end)` of `source`; `false` when it is not a flat record as above. */
  read (source: Buffer, start: number, end: number): boolean {
    const line = ++this.#line
    this.count = 0
    if (source[start] !== OPEN_BRACE) return false
    if (source[start + 1] === CLOSE_BRACE) return start + 2 === end
    let at = start + 1
    let previous: FlatKey<Meaning> | undefined
    for (let field = 0; field < MAX_FIELDS; field++) {
      if (source[at] !== QUOTE) return false
      const key = this.#readKey(source, at + 1, end, previous)
      if (key === undefined || key.line === line) return false
      key.line = line
      at += key.name.length + 2
      if (source[at] !== COLON) return false
      at = this.#readValue(source, at + 1, end, field)
      if (at === -1) return false
      this.keys[field] = key
      const next = source[at]
      if (next === CLOSE_BRACE) {
        this.count = field + 1
        return at + 1 === end
      }
      if (next !== COMMA) return false
      at++
      previous = key
    }
    return false
  }

  // Lines of one log mostly repeat a shape or two: each key predicts the two keys seen after it
  // (the first key of a line, the first key of the last line).
  #readKey (source: Buffer, at: number, end: number, previous: FlatKey<Meaning> | undefined): FlatKey<Meaning> | undefined {
    if (previous === undefined) {
      const first = this.#first
      if (first !== undefined && keyAt(source, at, end, first.bytes)) return first
      return (this.#first = this.#internKey(source, at, end))
    }
    const next = previous.next
    if (next !== undefined && keyAt(source, at, end, next.bytes)) return next
    const other = previous.previousNext
    const key = other !== undefined && keyAt(source, at, end, other.bytes) ? other : this.#internKey(source, at, end)
    if (key !== undefined) {
      previous.previousNext = next
      previous.next = key
    }
    return key
  }

  #internKey (source: Buffer, at: number, end: number): FlatKey<Meaning> | undefined {
    const close = printableEnd(source, at, end)
    if (close === -1) return undefined
    const name = source.toString('latin1', at, close)
    let key = this.#interned.get(name)
    if (key === undefined) {
      if (this.#interned.size >= MAX_KEYS || INTEGER_KEY.test(name) || name === '__proto__') return undefined
      key = { name, bytes: Buffer.from(name, 'latin1'), meaning: this.#describeKey(name), next: undefined, previousNext: undefined, line: 0 }
      this.#interned.set(name, key)
    }
    return key
  }

  /** Reads the value at `at` into field `field`; returns where it ends, or -1. */
  #readValue (source: Buffer, at: number, end: number, field: number): number {
    const first = source[at] ?? 0
    let valueEnd: number
    if (first === QUOTE) {
      let quoted = false
      let index = at + 1
      for (; index < end; index++) {
        const code = source[index] as number
        if (code === QUOTE) break
        if (code < SPACE || code > TILDE || code === BACKSLASH) return -1
        if (code === SPACE || code === EQUALS) quoted = true
      }
      if (index >= end) return -1
      this.starts[field] = at + 1
      this.ends[field] = index
      this.kinds[field] = quoted || index === at + 1 ? QUOTED_STRING : BARE_STRING
      return index + 1
    }
    if (first === MINUS || isDigit(first)) valueEnd = canonicalNumberEnd(source, at, end)
    else if (first === 0x74) valueEnd = literalEnd(source, at, end, 'true')
    else if (first === 0x66) valueEnd = literalEnd(source, at, end, 'false')
    else if (first === 0x6e) valueEnd = literalEnd(source, at, end, 'null')
    else return -1
    if (valueEnd === -1 || valueEnd >= end) return -1
    this.starts[field] = at
    this.ends[field] = valueEnd
    this.kinds[field] = LITERAL
    return valueEnd
  }
}

/** Whether `name` and its closing quote are at `at`, before `end`. */
function keyAt (source: Uint8Array, at: number, end: number, name: Uint8Array): boolean {
  const length = name.length
  if (at + length >= end) return false
  for (let index = 0; index < length; index++) {
    if (source[at + index] !== name[index]) return false
  }
  return source[at + length] === QUOTE
}

/** The closing quote of a string of printable ASCII without escapes that starts at `at`, or -1. */
function printableEnd (source: Uint8Array, at: number, end: number): number {
  for (let index = at; index < end; index++) {
    const code = source[index] as number
    if (code === QUOTE) return index
    if (code < SPACE || code > TILDE || code === BACKSLASH) return -1
  }
  return -1
}
