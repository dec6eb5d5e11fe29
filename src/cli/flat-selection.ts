import { FlatJsonReader, LITERAL, readIntegerToken } from '../format/flat-json.ts'
import { hasCriteria, type Criteria } from './criteria.ts'

/** What the bytes of a line say about it: selected, not selected, or only a parse can tell. */
export const SELECTED = 1
export const REJECTED = 0
export const UNDECIDED = -1
export type Verdict = typeof SELECTED | typeof REJECTED | typeof UNDECIDED

/** Decides a line on its bytes; `UNDECIDED` when it is not a flat record (see src/format/flat-json.ts). */
export type FlatSelection = (buffer: Buffer, start: number, end: number) => Verdict

const TID = 0
const PID = 1
const OTHER = -1

/**
 * For `--thread <n>` and `--pid <n>` alone: a flat record's fields are what JSON.parse would make
 * of them, so an integer token equal to the id selects it and anything else (a string, a fraction,
 * no such key) does not, as line-filter.ts decides on the parsed record. `undefined` for any other
 * criteria, which stay with the parse.
 */
export function compileFlatSelection (criteria: Criteria): FlatSelection | undefined {
  const { tid, pid } = criteria
  if ((tid === undefined && pid === undefined) || hasCriteria({ ...criteria, tid: undefined, pid: undefined })) return undefined
  const reader = new FlatJsonReader((name) => name === 'tid' && tid !== undefined ? TID : name === 'pid' && pid !== undefined ? PID : OTHER)
  const wanted = [tid, pid]
  return (buffer, start, end) => {
    if (!reader.read(buffer, start, end)) return UNDECIDED
    const { count, keys, starts, ends, kinds } = reader
    let matched = 0
    for (let field = 0; field < count; field++) {
      const meaning = keys[field]?.meaning ?? OTHER
      if (meaning === OTHER) continue
      if (kinds[field] !== LITERAL || readIntegerToken(buffer, starts[field] as number, ends[field] as number) !== wanted[meaning]) return REJECTED
      matched++
    }
    return matched === (tid === undefined ? 0 : 1) + (pid === undefined ? 0 : 1) ? SELECTED : REJECTED
  }
}
