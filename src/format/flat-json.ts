// Reads a JSON object line in place, on its latin1 text (one character per byte), when the line is
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
export function canonicalNumberEnd (text: string, at: number): number {
  let index = text.charCodeAt(at) === MINUS ? at + 1 : at
  const integerStart = index
  const first = text.charCodeAt(index)
  if (first === ZERO) index++
  else if (first > ZERO && first <= NINE) while (isDigit(text.charCodeAt(index))) index++
  else return -1
  let digits = index - integerStart
  if (text.charCodeAt(index) === DOT) {
    const fractionStart = ++index
    while (isDigit(text.charCodeAt(index))) index++
    if (index === fractionStart || text.charCodeAt(index - 1) === ZERO) return -1
    digits += index - fractionStart
    if (first === ZERO) {
      let zeros = fractionStart
      while (text.charCodeAt(zeros) === ZERO) zeros++
      if (zeros - fractionStart > MAX_FRACTION_ZEROS) return -1
    }
  } else if (first === ZERO && integerStart > at) {
    return -1 // -0 prints as 0
  }
  const next = text.charCodeAt(index)
  if (next === 0x65 || next === 0x45 || digits > MAX_DIGITS) return -1
  return index
}

function literalEnd (text: string, at: number, literal: string): number {
  for (let index = 0; index < literal.length; index++) {
    if (text.charCodeAt(at + index) !== literal.charCodeAt(index)) return -1
  }
  return at + literal.length
}

/**
 * Reads flat record lines (see the top of this file) into parallel arrays of fields, reused from
 * line to line: field `i` has `keys[i]`, and its value is `[starts[i], ends[i])` of kind `kinds[i]`.
 * Keys are interned with the meaning `describeKey` gives them, once per distinct key.
 */
export class FlatJsonReader<Meaning> {
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

  /** Reads the line `[start, end)` of `text`; `false` when it is not a flat record as above. */
  read (text: string, start: number, end: number): boolean {
    const line = ++this.#line
    this.count = 0
    if (text.charCodeAt(start) !== OPEN_BRACE) return false
    if (text.charCodeAt(start + 1) === CLOSE_BRACE) return start + 2 === end
    let at = start + 1
    let predicted = this.#first
    for (let field = 0; field < MAX_FIELDS; field++) {
      if (text.charCodeAt(at) !== QUOTE) return false
      const key = this.#readKey(text, at + 1, end, predicted)
      if (key === undefined || key.line === line) return false
      key.line = line
      if (field === 0) this.#first = key
      else this.#remember(this.keys[field - 1] as FlatKey<Meaning>, key)
      at += key.name.length + 2
      if (text.charCodeAt(at) !== COLON) return false
      at = this.#readValue(text, at + 1, end, field)
      if (at === -1) return false
      this.keys[field] = key
      const next = text.charCodeAt(at)
      if (next === CLOSE_BRACE) {
        this.count = field + 1
        return at + 1 === end
      }
      if (next !== COMMA) return false
      at++
      predicted = key.next
    }
    return false
  }

  // Lines of one log mostly repeat a shape or two: each key predicts the two keys seen after it.
  #remember (previous: FlatKey<Meaning>, key: FlatKey<Meaning>): void {
    if (previous.next === key) return
    previous.previousNext = previous.next
    previous.next = key
  }

  #readKey (text: string, at: number, end: number, predicted: FlatKey<Meaning> | undefined): FlatKey<Meaning> | undefined {
    if (predicted !== undefined) {
      if (keyAt(text, at, predicted.name)) return predicted
      const other = predicted.previousNext
      if (other !== undefined && keyAt(text, at, other.name)) return other
    }
    const close = printableEnd(text, at, end)
    if (close === -1) return undefined
    const name = text.slice(at, close)
    let key = this.#interned.get(name)
    if (key === undefined) {
      if (this.#interned.size >= MAX_KEYS || INTEGER_KEY.test(name) || name === '__proto__') return undefined
      key = { name, meaning: this.#describeKey(name), next: undefined, previousNext: undefined, line: 0 }
      this.#interned.set(name, key)
    }
    return key
  }

  /** Reads the value at `at` into field `field`; returns where it ends, or -1. */
  #readValue (text: string, at: number, end: number, field: number): number {
    const first = text.charCodeAt(at)
    let valueEnd: number
    if (first === QUOTE) {
      let quoted = false
      let index = at + 1
      for (; index < end; index++) {
        const code = text.charCodeAt(index)
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
    if (first === MINUS || isDigit(first)) valueEnd = canonicalNumberEnd(text, at)
    else if (first === 0x74) valueEnd = literalEnd(text, at, 'true')
    else if (first === 0x66) valueEnd = literalEnd(text, at, 'false')
    else if (first === 0x6e) valueEnd = literalEnd(text, at, 'null')
    else return -1
    if (valueEnd === -1 || valueEnd >= end) return -1
    this.starts[field] = at
    this.ends[field] = valueEnd
    this.kinds[field] = LITERAL
    return valueEnd
  }
}

/** Whether `name` and its closing quote are at `at`. */
function keyAt (text: string, at: number, name: string): boolean {
  const length = name.length
  for (let index = 0; index < length; index++) {
    if (text.charCodeAt(at + index) !== name.charCodeAt(index)) return false
  }
  return text.charCodeAt(at + length) === QUOTE
}

/** The closing quote of a string of printable ASCII without escapes that starts at `at`, or -1. */
function printableEnd (text: string, at: number, end: number): number {
  for (let index = at; index < end; index++) {
    const code = text.charCodeAt(index)
    if (code === QUOTE) return index
    if (code < SPACE || code > TILDE || code === BACKSLASH) return -1
  }
  return -1
}
