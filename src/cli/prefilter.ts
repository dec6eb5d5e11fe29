import { levelOfLabel } from '../levels.ts'
import type { Glob } from '../filter/glob.ts'
import type { Criteria } from './criteria.ts'

// Decides most lines on their bytes, before any JSON.parse. Every test here is a necessary
// condition only: a line it keeps is parsed and tested for real (line-filter.ts), so a nested key
// or a duplicate can only cost a parse, never a wrong answer. The one assumption: keys and the
// compared values are written as JSON.stringify writes them (printable ASCII is never escaped).

const QUOTE = 0x22
const COLON = 0x3a

/** What a value test says about the bytes of one value: it cannot match, or it might. */
type ValueTest = (buffer: Buffer, at: number, end: number) => boolean

function isBlank (byte: number | undefined): boolean {
  return byte === 0x20 || byte === 0x09 || byte === 0x0d || byte === 0x0a
}

/** Where an unsigned integer ends if it is one: `-1` when a digit is missing or a non-delimiter follows. */
function integerEnd (buffer: Buffer, at: number, end: number): number {
  let index = at
  while (index < end && (buffer[index] as number) >= 0x30 && (buffer[index] as number) <= 0x39) index++
  if (index === at) return -1
  const next = buffer[index]
  return index === end || next === 0x2c || next === 0x7d || next === 0x5d || isBlank(next) ? index : -1
}

function readInteger (buffer: Buffer, at: number, end: number): number | undefined {
  const stop = integerEnd(buffer, at, end)
  return stop === -1 ? undefined : Number(buffer.toString('latin1', at, stop))
}

/**
 * Finds `"key"` followed by `:` in a line. Lines come in order within a chunk, so the last search
 * is remembered: a key missing from the rest of a chunk costs one native search for the whole chunk.
 */
class KeyTest {
  readonly #needle: Buffer
  readonly #value: ValueTest
  #buffer: Buffer | undefined
  #searchedFrom = 0
  #hit = -1

  constructor (key: string, value: ValueTest) {
    this.#needle = Buffer.from(JSON.stringify(key))
    this.#value = value
  }

  #find (buffer: Buffer, from: number): number {
    if (buffer !== this.#buffer || from < this.#searchedFrom || (this.#hit !== -1 && this.#hit < from)) {
      this.#buffer = buffer
      this.#searchedFrom = from
      this.#hit = buffer.indexOf(this.#needle, from)
    }
    return this.#hit
  }

  /** Whether some occurrence of the key in `[start, end)` has a value that might pass. */
  mayPass (buffer: Buffer, start: number, end: number): boolean {
    for (let hit = this.#find(buffer, start); hit !== -1 && hit < end; hit = this.#find(buffer, hit + 1)) {
      let at = hit + this.#needle.length
      while (isBlank(buffer[at])) at++
      if (buffer[at] !== COLON) continue // the key's text as a value, not as a key
      at++
      while (isBlank(buffer[at])) at++
      if (at < end && this.#value(buffer, at, end)) return true
    }
    return false
  }
}

function integerEquals (expected: number): ValueTest {
  return (buffer, at, end) => readInteger(buffer, at, end) === expected
}

function levelAtLeast (min: number): ValueTest {
  return (buffer, at, end) => {
    if (buffer[at] !== QUOTE) {
      const level = readInteger(buffer, at, end)
      return level === undefined || level >= min // not a plain integer: let the parse decide
    }
    const close = buffer.indexOf(QUOTE, at + 1)
    if (close === -1 || close >= end || close - at > 32) return false
    const level = levelOfLabel(buffer.toString('latin1', at + 1, close))
    return level !== undefined && level >= min
  }
}

function timeWithin (since: number, until: number): ValueTest {
  return (buffer, at, end) => {
    if (buffer[at] === QUOTE) return true // an ISO string: JSON.parse and Date.parse decide
    const stop = integerEnd(buffer, at, end)
    if (stop === -1) return true // not a plain integer (a fraction, an exponent): let the parse decide
    const time = Number(buffer.toString('latin1', at, stop))
    return time >= since && time <= until
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
  const bytes = Buffer.from('"' + prefix + (whole ? '"' : ''))
  return (buffer, at, end) => at + bytes.length <= end && buffer.compare(bytes, 0, bytes.length, at, at + bytes.length) === 0
}

/** The lowest level any record can pass with: the byte test for `--level` and `--filter`. */
function lowestLevel (criteria: Criteria): number | undefined {
  const { directives, minLevel } = criteria
  if (directives === undefined) return minLevel
  // --level only counts for the sources no term selects, and not at all under a bare level.
  return Math.min(directives.defaultLevel ?? minLevel ?? 0, ...directives.terms.map((term) => term.value))
}

/** Tests a line's bytes against the criteria: `false` means it cannot be selected, `true` that it may be. */
export type Prefilter = (buffer: Buffer, start: number, end: number) => boolean

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
  if (tests.length === 0) return undefined
  return (buffer, start, end) => {
    for (const test of tests) if (!test.mayPass(buffer, start, end)) return false
    return true
  }
}
