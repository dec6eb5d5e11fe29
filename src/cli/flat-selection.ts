import { FlatJsonReader, LITERAL, readIntegerToken } from '../format/flat-json.ts'
import type { Glob } from '../filter/glob.ts'
import { hasCriteria, withoutIdentity, type Criteria } from '../select/criteria.ts'

/** What the bytes of a line say about it: selected, not selected, or only a parse can tell. */
export const SELECTED = 1
export const REJECTED = 0
export const UNDECIDED = -1
export type Verdict = typeof SELECTED | typeof REJECTED | typeof UNDECIDED

/** Decides a line on its bytes; `UNDECIDED` when it is not a flat record (see src/format/flat-json.ts). */
export type FlatSelection = (buffer: Buffer, start: number, end: number) => Verdict

const TID = 0
const PID = 1
const THREAD = 2
const PROC = 3
const OTHER = -1
type Meaning = typeof TID | typeof PID | typeof THREAD | typeof PROC | typeof OTHER

/** A glob's verdicts on the names it saw: a log has a handful of thread and process names. */
class NameTest {
  readonly #glob: Glob
  readonly #seen = new Map<string, boolean>()

  constructor (glob: Glob) {
    this.#glob = glob
  }

  /** Whether the string value `[start, end)` (printable ASCII, no escapes: what the reader read) matches. */
  matches (buffer: Buffer, start: number, end: number): boolean {
    const name = buffer.toString('latin1', start, end)
    let matched = this.#seen.get(name)
    if (matched === undefined) {
      matched = this.#glob.test(name)
      // Names that are data (a new one per record) are not remembered past a bound.
      if (this.#seen.size < 1024) this.#seen.set(name, matched)
    }
    return matched
  }
}

/**
 * For the identity criteria alone (`--thread`, `--pid`, `--proc`): a flat record's fields are what
 * JSON.parse would make of them, so the bytes decide as src/select/record-test.ts decides on the parsed record
 * (an id is an integer token equal to it, a name a string the glob matches; a missing field
 * matches nothing). `undefined` for any other criteria, which stay with the parse.
 */
export function compileFlatSelection (criteria: Criteria): FlatSelection | undefined {
  const { tid, pid, thread, proc } = criteria
  if ([tid, pid, thread, proc].every((value) => value === undefined) || hasCriteria(withoutIdentity(criteria))) return undefined
  const meanings: Readonly<Record<string, Meaning>> = {
    ...(tid === undefined ? {} : { tid: TID }),
    ...(pid === undefined ? {} : { pid: PID }),
    ...(thread === undefined ? {} : { thread: THREAD }),
    ...(proc === undefined ? {} : { proc: PROC })
  }
  const reader = new FlatJsonReader<Meaning>((name) => Object.hasOwn(meanings, name) ? meanings[name] as Meaning : OTHER)
  const ids = [tid, pid]
  const names = [thread === undefined ? undefined : new NameTest(thread), proc === undefined ? undefined : new NameTest(proc)]
  const needed = Object.keys(meanings).length
  return (buffer, start, end) => {
    if (!reader.read(buffer, start, end)) return UNDECIDED
    const { count, keys, starts, ends, kinds } = reader
    let matched = 0
    for (let field = 0; field < count; field++) {
      const meaning = keys[field]?.meaning ?? OTHER
      if (meaning === OTHER) continue
      const [valueStart, valueEnd, kind] = [starts[field] as number, ends[field] as number, kinds[field] as number]
      const passes = meaning === TID || meaning === PID
        ? kind === LITERAL && readIntegerToken(buffer, valueStart, valueEnd) === ids[meaning]
        : kind !== LITERAL && (names[meaning - THREAD] as NameTest).matches(buffer, valueStart, valueEnd)
      if (!passes) return REJECTED
      matched++
    }
    return matched === needed ? SELECTED : REJECTED
  }
}
