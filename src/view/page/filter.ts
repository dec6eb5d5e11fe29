/// <reference lib="dom" />
// The page's filter box. Its syntax (documented in the page's help and the README): terms
// separated by spaces, all of which must hold.
//   thread:<glob> proc:<glob> pid:<n> tid:<n>   which lanes show (`*` and `?` in globs)
//   level>=warn  level>info  level=error  level<=debug  level<30
//   key=value  key!=value                       a field's value, as text (globs too)
//   word  -word                                 the message contains (or lacks) the word, any case
import type { ViewModel } from './model.ts'
import { PAGE_LEVELS } from './model.ts'

/** What a lane term tests. */
export type LaneKey = 'thread' | 'proc' | 'pid' | 'tid'

/** One term of the filter box, parsed. */
export type FilterTerm =
  | { readonly kind: 'lane', readonly key: LaneKey, readonly pattern: RegExp }
  | { readonly kind: 'level', readonly op: string, readonly value: number }
  | { readonly kind: 'field', readonly key: string, readonly pattern: RegExp, readonly negated: boolean }
  | { readonly kind: 'word', readonly word: string, readonly negated: boolean }

/** The filter box's text, parsed; terms that do not parse are named in `errors` and ignored. */
export interface FilterQuery {
  readonly terms: readonly FilterTerm[]
  readonly errors: readonly string[]
}

/** A glob (`resize-*`, `w?`) as an anchored regular expression. */
export function globToRegExp (glob: string): RegExp {
  const source = glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')
  return new RegExp(`^${source}$`)
}

/** `level>=warn`'s comparison and value; undefined for an unknown level. */
export function parseLevelTerm (op: string, text: string): FilterTerm | undefined {
  const value = /^\d+$/.test(text) ? Number(text) : PAGE_LEVELS[text.toLowerCase()]
  return value === undefined ? undefined : { kind: 'level', op, value }
}

/** Parses one term of the box; undefined when it does not parse. */
export function parseFilterTerm (term: string): FilterTerm | undefined {
  const lane = /^(thread|proc|pid|tid):(.+)$/.exec(term)
  if (lane !== null) return { kind: 'lane', key: lane[1] as LaneKey, pattern: globToRegExp(lane[2] as string) }
  const level = /^level(>=|<=|>|<|=)(.+)$/.exec(term)
  if (level !== null) return parseLevelTerm(level[1] as string, level[2] as string)
  const field = /^([^=!<>:]+)(!?=)(.*)$/.exec(term)
  if (field !== null) return { kind: 'field', key: field[1] as string, pattern: globToRegExp(field[3] as string), negated: field[2] === '!=' }
  if (/[=<>]/.test(term)) return undefined
  const negated = term.startsWith('-') && term.length > 1
  return { kind: 'word', word: (negated ? term.slice(1) : term).toLowerCase(), negated }
}

/** Parses the filter box's text. */
export function parseFilterQuery (text: string): FilterQuery {
  const terms: FilterTerm[] = []
  const errors: string[] = []
  for (const word of text.split(/\s+/)) {
    if (word === '') continue
    const term = parseFilterTerm(word)
    if (term === undefined) errors.push(word)
    else terms.push(term)
  }
  return { terms, errors }
}

/** Compares a record's level as a level term says. */
export function compareLevel (level: number, op: string, value: number): boolean {
  if (op === '>=') return level >= value
  if (op === '<=') return level <= value
  if (op === '>') return level > value
  if (op === '<') return level < value
  return level === value
}

/** A field's value as the text a field term matches: strings bare, anything else as JSON. */
export function fieldText (value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value) ?? ''
}

/** Whether one record passes the record terms (level, field, word) of a query. */
export function recordPasses (model: ViewModel, index: number, terms: readonly FilterTerm[]): boolean {
  for (const term of terms) {
    if (term.kind === 'level') {
      if (!compareLevel(model.level[index] as number, term.op, term.value)) return false
    } else if (term.kind === 'field') {
      const fields = model.data.fields[model.field[index] as number] ?? {}
      const matches = Object.hasOwn(fields, term.key) && term.pattern.test(fieldText(fields[term.key]))
      if (matches === term.negated) return false
    } else if (term.kind === 'word') {
      const found = (model.data.messages[model.msg[index] as number] ?? '').toLowerCase().includes(term.word)
      if (found === term.negated) return false
    }
  }
  return true
}

/** Whether a lane passes the lane terms (thread, proc, pid, tid) of a query. */
export function lanePasses (model: ViewModel, lane: number, terms: readonly FilterTerm[]): boolean {
  const { lanes, processes } = model.data
  const info = lanes[lane]
  const process = info === undefined ? undefined : processes[info.process]
  if (info === undefined || process === undefined) return false
  const values = { thread: info.thread, tid: String(info.tid), proc: process.proc, pid: String(process.pid) }
  return terms.every((term) => term.kind !== 'lane' || term.pattern.test(values[term.key]))
}

/** What a query shows: lanes, and records (undefined when every record of a shown lane shows). */
export interface FilterResult {
  readonly laneShown: Uint8Array
  readonly recordShown: Uint8Array | undefined
}

/**
 * Applies a query. A lane shows when it passes the lane terms and, when there are record terms,
 * has at least one record that passes them: filtering by a request leaves the lanes it went through.
 */
export function applyFilter (model: ViewModel, query: FilterQuery): FilterResult {
  const laneCount = model.data.lanes.length
  const laneShown = new Uint8Array(laneCount)
  for (let lane = 0; lane < laneCount; lane++) laneShown[lane] = lanePasses(model, lane, query.terms) ? 1 : 0
  const recordTerms = query.terms.filter((term) => term.kind !== 'lane')
  if (recordTerms.length === 0) return { laneShown, recordShown: undefined }
  const count = model.time.length
  const recordShown = new Uint8Array(count)
  const laneHasRecord = new Uint8Array(laneCount)
  for (let i = 0; i < count; i++) {
    const lane = model.lane[i] as number
    if (laneShown[lane] === 1 && recordPasses(model, i, recordTerms)) {
      recordShown[i] = 1
      laneHasRecord[lane] = 1
    }
  }
  return { laneShown: laneHasRecord, recordShown }
}
