import { levelOfLabel } from '../levels.ts'
import type { Glob } from '../filter/glob.ts'
import type { Criteria } from './criteria.ts'

// Decides most lines on their bytes, before any JSON.parse. Every test here is a necessary
// condition only: a line it keeps is parsed and tested for real (record-test.ts), so a nested key
// or a duplicate can only cost a parse, never a wrong answer. The one assumption: keys and the
// compared values are written as JSON.stringify writes them (printable ASCII is never escaped).
// Bytes are read through the chunk's latin1 text (one character per byte, same offsets): V8's
// string search is several times faster than Buffer#indexOf's.

const QUOTE = 0x22
const COLON = 0x3a

/** What a value test says about the bytes of one value: it cannot match, or it might. */
type ValueTest = (text: string, at: number, end: number) => boolean

function isBlank (code: number): boolean {
  return code === 0x20 || code === 0x09 || code === 0x0d || code === 0x0a
}

/** Past this many digits an integer may not be exact in a double: such a value is left to the parse. */
const MAX_DIGITS = 15

/**
 * The unsigned integer at `at`, read digit by digit (no slice, no Number()): `undefined` when
 * there is none, when a fraction or exponent follows, or when it has too many digits.
 */
function readInteger (text: string, at: number, end: number): number | undefined {
  let value = 0
  let index = at
  for (; index < end; index++) {
    const digit = text.charCodeAt(index) - 0x30
    if (digit < 0 || digit > 9) break
    value = value * 10 + digit
  }
  if (index === at || index - at > MAX_DIGITS) return undefined
  const next = text.charCodeAt(index)
  return index === end || next === 0x2c || next === 0x7d || next === 0x5d || isBlank(next) ? value : undefined
}

/**
 * Finds `"key"` followed by `:` in a line. Lines come in order within a chunk, so the last search
 * is remembered: a key missing from the rest of a chunk costs one native search for the whole chunk.
 */
class KeyTest {
  readonly #needle: string
  readonly #value: ValueTest
  #buffer: Buffer | undefined
  #searchedFrom = 0
  #hit = -1

  constructor (key: string, value: ValueTest) {
    // Without its opening quote: JSON is full of quotes, and V8's search is ~3× faster when the
    // needle starts with a rarer character. The quote is checked at each hit instead.
    this.#needle = JSON.stringify(key).slice(1)
    this.#value = value
  }

  // The chunk's buffer, not its text, says whether this is the chunk searched last: comparing two
  // strings could compare their characters.
  #find (buffer: Buffer, text: string, from: number): number {
    if (buffer !== this.#buffer || from < this.#searchedFrom || (this.#hit !== -1 && this.#hit < from)) {
      this.#buffer = buffer
      this.#searchedFrom = from
      this.#hit = text.indexOf(this.#needle, from)
    }
    return this.#hit
  }

  /**
   * The first occurrence of the key at or after `from` whose value might pass, or -1: lines
   * without one cannot be selected (the scanner jumps from one to the next).
   */
  nextPassing (buffer: Buffer, text: string, from: number, end: number): number {
    for (let hit = this.#find(buffer, text, from); hit !== -1 && hit < end; hit = this.#find(buffer, text, hit + 1)) {
      if (this.#passesAt(text, hit, end)) return hit
    }
    return -1
  }

  #passesAt (text: string, hit: number, end: number): boolean {
    if (text.charCodeAt(hit - 1) !== QUOTE) return false // the end of a longer key (`"xtid"`)
    let at = hit + this.#needle.length
    while (isBlank(text.charCodeAt(at))) at++
    if (text.charCodeAt(at) !== COLON) return false // the key's text as a value, not as a key
    at++
    while (isBlank(text.charCodeAt(at))) at++
    return at < end && this.#value(text, at, end)
  }

  /** Whether some occurrence of the key in `[start, end)` has a value that might pass. */
  mayPass (buffer: Buffer, text: string, start: number, end: number): boolean {
    return this.nextPassing(buffer, text, start, end) !== -1
  }
}

function integerEquals (expected: number): ValueTest {
  return (text, at, end) => {
    const value = readInteger(text, at, end)
    if (value !== undefined) return value === expected
    // `3.0`, `3e0` or `-0` are numbers too: the parse decides; a string or null cannot equal a number.
    const first = text.charCodeAt(at)
    return first === 0x2d || (first >= 0x30 && first <= 0x39)
  }
}

function levelAtLeast (min: number): ValueTest {
  return (text, at, end) => {
    if (text.charCodeAt(at) !== QUOTE) {
      const level = readInteger(text, at, end)
      return level === undefined || level >= min // not a plain integer: let the parse decide
    }
    const close = text.indexOf('"', at + 1)
    if (close === -1 || close >= end || close - at > 32) return false
    const level = levelOfLabel(text.slice(at + 1, close))
    return level !== undefined && level >= min
  }
}

function timeWithin (since: number, until: number): ValueTest {
  return (text, at, end) => {
    const time = readInteger(text, at, end)
    // An ISO string, a fraction, an exponent: JSON.parse (and Date.parse) decide.
    return time === undefined || (time >= since && time <= until)
  }
}

/** The printable-ASCII start of a glob, before any wildcard: a name it matches starts with it. */
function literalPrefix (glob: Glob): { prefix: string, whole: boolean } {
  const pattern = glob.pattern
  let length = 0
  while (length < pattern.length && /^[\x20-\x7e]$/.test(pattern[length] as string) &&
    !'*?[]{}()!+@|\\"'.includes(pattern[length] as string)) length++
  return { prefix: pattern.slice(0, length), whole: length === pattern.length }
}

function stringStartsWith (glob: Glob): ValueTest | undefined {
  const { prefix, whole } = literalPrefix(glob)
  if (prefix === '' && !whole) return undefined
  const quoted = '"' + prefix + (whole ? '"' : '')
  return (text, at, end) => at + quoted.length <= end && text.startsWith(quoted, at)
}

/** The lowest level any record can pass with: the byte test for `--level` and `--filter`. */
function lowestLevel (criteria: Criteria): number | undefined {
  const { directives, minLevel } = criteria
  if (directives === undefined) return minLevel
  // --level only counts for the sources no term selects, and not at all under a bare level.
  return Math.min(directives.defaultLevel ?? minLevel ?? 0, ...directives.terms.map((term) => term.value))
}

/** The byte tests of a set of criteria; `text` is `buffer` decoded as latin1 (the same offsets). */
export interface Prefilter {
  /** `false`: the line `[start, end)` cannot be selected; `true`: it may be. */
  mayPass (buffer: Buffer, text: string, start: number, end: number): boolean
  /**
   * Where in `[from, end)` the next line that may be selected has its key, or -1. Lines without
   * this key's passing value cannot be selected, so the lines between need no visit at all.
   */
  nextCandidate (buffer: Buffer, text: string, from: number, end: number): number
}

/**
 * Compiles the byte tests the criteria allow: thread id, pid, level (also the lowest of `--filter`),
 * time range, and the literal start of a thread or process name glob. `undefined` when none
 * applies (every line is parsed then).
 */
export function compilePrefilter (criteria: Criteria): Prefilter | undefined {
  const tests: KeyTest[] = []
  if (criteria.tid !== undefined) tests.push(new KeyTest('tid', integerEquals(criteria.tid)))
  if (criteria.pid !== undefined) tests.push(new KeyTest('pid', integerEquals(criteria.pid)))
  const level = lowestLevel(criteria)
  if (level !== undefined && level > 0) tests.push(new KeyTest('level', levelAtLeast(level)))
  if (criteria.since !== undefined || criteria.until !== undefined) {
    tests.push(new KeyTest('time', timeWithin(criteria.since ?? -Infinity, criteria.until ?? Infinity)))
  }
  for (const [key, glob] of [['thread', criteria.thread], ['proc', criteria.proc]] as const) {
    const value = glob === undefined ? undefined : stringStartsWith(glob)
    if (value !== undefined) tests.push(new KeyTest(key, value))
  }
  const [first] = tests
  if (first === undefined) return undefined
  return {
    mayPass (buffer, text, start, end) {
      for (const test of tests) if (!test.mayPass(buffer, text, start, end)) return false
      return true
    },
    // The first test is the most selective one (a thread or process id when given).
    nextCandidate: (buffer, text, from, end) => first.nextPassing(buffer, text, from, end)
  }
}

