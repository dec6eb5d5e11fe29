// The selecting options (`--level`, `--thread`, `--where`, …) understood and checked: what the CLI,
// the view and the attach hub select records by, so that all three mean the same by them.
import { levelOfLabel } from '../levels.ts'
import { parseDirectives, type Directives } from '../filter/directives.ts'
import { compileGlob, type Glob } from '../filter/glob.ts'
import { rethrowAs } from '../library-error.ts'

/**
 * A selecting option that cannot be understood; its message names the option and quotes the value.
 * The CLI prints it as a usage error, the hub refuses an attach client with it.
 */
export class SelectionError extends Error {}

/** One `--where` test: a dotted path into the record, and a glob its value must (not) match. */
export interface WhereTest {
  /** The path's keys, `['req', 'method']` for `req.method`. */
  readonly path: readonly string[]
  readonly glob: Glob
  /** `!=`: the value must not match (a missing value does not match, so it passes). */
  readonly negated: boolean
}

/** What a record must be to be selected. Every given criterion must hold. */
export interface Criteria {
  readonly minLevel: number | undefined
  /** `--thread <n>`: a thread id. */
  readonly tid: number | undefined
  /** `--thread <glob>`: a thread name. */
  readonly thread: Glob | undefined
  readonly pid: number | undefined
  readonly proc: Glob | undefined
  readonly where: readonly WhereTest[]
  /** Epoch milliseconds, inclusive. */
  readonly since: number | undefined
  readonly until: number | undefined
  readonly grep: RegExp | undefined
  readonly directives: Directives | undefined
}

/** The option values {@link parseCriteria} reads, as given on the command line. */
export interface CriteriaText {
  readonly level: string | undefined
  readonly thread: string | undefined
  readonly pid: string | undefined
  readonly proc: string | undefined
  readonly where: readonly string[]
  readonly since: string | undefined
  readonly until: string | undefined
  readonly grep: string | undefined
  readonly filter: string | undefined
}

const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }
const RELATIVE = /^(\d+(?:\.\d+)?)(ms|s|m|h|d)$/
// Date.parse accepts much that is not meant as a time ('1', 'May'): a date must lead.
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(?:[T ]|$)/
const INTEGER = /^\d{1,15}$/

function parseLevel (value: string | undefined): number | undefined {
  if (value === undefined) return undefined
  if (INTEGER.test(value)) return Number(value)
  const level = levelOfLabel(value)
  if (level === undefined) {
    throw new SelectionError(`option '--level' needs a level (trace, debug, info, warn, error, fatal or a number), got '${value}'`)
  }
  return level
}

/** `5m` is five minutes before `now`; otherwise an ISO date or date-time (local time unless it says Z or an offset). */
function parseTime (value: string | undefined, option: string, now: number): number | undefined {
  if (value === undefined) return undefined
  const relative = RELATIVE.exec(value)
  if (relative !== null) return now - Number(relative[1]) * (UNIT_MS[relative[2] as string] as number)
  const time = ISO_DATE.test(value) ? Date.parse(value) : Number.NaN
  if (Number.isNaN(time)) {
    throw new SelectionError(`option '${option}' needs an ISO time (2026-12-07T10:00:00Z) or a duration ago (30s, 5m, 2h, 1d), got '${value}'`)
  }
  return time
}

function parseGlob (pattern: string, option: string): Glob {
  const glob = compileGlob(pattern)
  if (typeof glob === 'string') throw new SelectionError(`option '${option}': bad pattern '${pattern}': ${glob}`)
  return glob
}

function parseWhere (test: string): WhereTest {
  const equals = test.indexOf('=')
  const negated = equals > 0 && test[equals - 1] === '!'
  const path = test.slice(0, negated ? equals - 1 : equals).split('.')
  if (equals <= 0 || path.some((key) => key === '')) {
    throw new SelectionError(`option '--where' needs <path>=<glob> or <path>!=<glob> (path: keys between dots), got '${test}'`)
  }
  return { path, glob: parseGlob(test.slice(equals + 1), '--where'), negated }
}

function parseGrep (source: string | undefined): RegExp | undefined {
  if (source === undefined) return undefined
  try {
    return new RegExp(source)
  } catch (error) {
    throw new SelectionError(`option '--grep': ${(error as Error).message}`)
  }
}

function parseFilter (text: string | undefined): Directives | undefined {
  if (text === undefined) return undefined
  return rethrowAs(() => parseDirectives(text, "option '--filter'"), TypeError, (message) => new SelectionError(message))
}

function parseInteger (value: string | undefined, option: string, what: string): number | undefined {
  if (value === undefined) return undefined
  if (!INTEGER.test(value)) throw new SelectionError(`option '${option}' needs ${what}, got '${value}'`)
  return Number(value)
}

/**
 * Checks and compiles the filter options. `--thread` is a thread id when it is a number, else a
 * glob on the thread's name; relative times count back from `now`.
 *
 * @throws {SelectionError} naming the option and quoting the bad value.
 */
export function parseCriteria (text: CriteriaText, now: number): Criteria {
  const thread = text.thread
  const isTid = thread !== undefined && INTEGER.test(thread)
  return {
    minLevel: parseLevel(text.level),
    tid: isTid ? Number(thread) : undefined,
    thread: thread === undefined || isTid ? undefined : parseGlob(thread, '--thread'),
    pid: parseInteger(text.pid, '--pid', 'a process id'),
    proc: text.proc === undefined ? undefined : parseGlob(text.proc, '--proc'),
    where: text.where.map(parseWhere),
    since: parseTime(text.since, '--since', now),
    until: parseTime(text.until, '--until', now),
    grep: parseGrep(text.grep),
    directives: parseFilter(text.filter)
  }
}

/** The criteria without `--thread`, `--pid` and `--proc`: what is left once a record's source is known to match them. */
export function withoutIdentity (criteria: Criteria): Criteria {
  return { ...criteria, tid: undefined, thread: undefined, pid: undefined, proc: undefined }
}

/** Whether any criterion is given: without one, every record is selected. */
export function hasCriteria (criteria: Criteria): boolean {
  const { where, ...single } = criteria
  return where.length > 0 || Object.values(single).some((value) => value !== undefined)
}
