// The exact test of a parsed record against the selecting options: what decides, wherever a byte
// test (prefilter.ts, the CLI's flat-selection.ts) could not.
import { levelOfLabel } from '../levels.ts'
import type { Glob } from '../filter/glob.ts'
import { valueAtPath } from '../record-path.ts'
import type { Criteria, WhereTest } from './criteria.ts'

/** Decides whether a parsed record is selected. */
export type RecordTest = (record: Record<string, unknown>) => boolean

/** A record's level as a number: pino's number, or a label a level formatter wrote (`"info"`, `"WARNING"`). */
export function levelOfRecord (level: unknown): number | undefined {
  if (typeof level === 'number') return level
  return typeof level === 'string' ? levelOfLabel(level) : undefined
}

/** A record's time in epoch milliseconds: pino's number, or an ISO string from a `timestamp` function. */
export function timeOfRecord (time: unknown): number | undefined {
  if (typeof time === 'number') return time
  if (typeof time !== 'string') return undefined
  const ms = Date.parse(time)
  return Number.isNaN(ms) ? undefined : ms
}

/** A value as a glob sees it: strings as they are, numbers and booleans as JSON writes them, objects as JSON. */
function textOf (value: unknown): string | undefined {
  switch (typeof value) {
    case 'string': return value
    case 'number': case 'boolean': return String(value)
    case 'object': return JSON.stringify(value)
    default: return undefined
  }
}

function passesWhere (record: Record<string, unknown>, test: WhereTest): boolean {
  const text = textOf(valueAtPath(record, test.path))
  const matched = text !== undefined && test.glob.test(text)
  return matched !== test.negated
}

function stringField (record: Record<string, unknown>, key: string): string | undefined {
  const value = record[key]
  return typeof value === 'string' ? value : undefined
}

function numberField (record: Record<string, unknown>, key: string): number | undefined {
  const value = record[key]
  return typeof value === 'number' ? value : undefined
}

// With --filter, --level is the threshold of sources no term selects; without it, its own test.
function passesLevel (record: Record<string, unknown>, criteria: Criteria): boolean {
  const { directives, minLevel } = criteria
  if (directives === undefined && minLevel === undefined) return true
  const level = levelOfRecord(record['level'])
  if (level === undefined) return false
  if (directives === undefined) return level >= (minLevel as number)
  const subject = {
    ...optional('tid', numberField(record, 'tid')),
    ...optional('pid', numberField(record, 'pid')),
    ...optional('thread', stringField(record, 'thread')),
    ...optional('proc', stringField(record, 'proc')),
    // Context fields are written at the top level of the record.
    context: (key: string) => record[key]
  }
  return level >= directives.levelFor(subject, minLevel ?? 0)
}

// exactOptionalPropertyTypes: a key the record lacks is left out, not set to undefined.
function optional<K extends string, V> (key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V }
}

function passesTime (record: Record<string, unknown>, since: number | undefined, until: number | undefined): boolean {
  if (since === undefined && until === undefined) return true
  const time = timeOfRecord(record['time'])
  return time !== undefined && (since === undefined || time >= since) && (until === undefined || time <= until)
}

// A name the record lacks matches no glob, not even `*`.
function matchesName (glob: Glob | undefined, name: string | undefined): boolean {
  return glob === undefined || (name !== undefined && glob.test(name))
}

function passesIdentity (record: Record<string, unknown>, criteria: Criteria): boolean {
  const { tid, pid, thread, proc } = criteria
  if (tid !== undefined && record['tid'] !== tid) return false
  if (pid !== undefined && record['pid'] !== pid) return false
  return matchesName(thread, stringField(record, 'thread')) && matchesName(proc, stringField(record, 'proc'))
}

/**
 * Compiles the criteria into one test on a parsed record; every criterion must hold. A criterion
 * on a field the record lacks fails (but `--where path!=glob` holds then). `--grep` searches `msg`.
 */
export function compileRecordTest (criteria: Criteria): RecordTest {
  const { where, grep, since, until } = criteria
  return function isSelected (record) {
    if (!passesIdentity(record, criteria) || !passesLevel(record, criteria) || !passesTime(record, since, until)) return false
    for (const test of where) if (!passesWhere(record, test)) return false
    if (grep === undefined) return true
    const msg = record['msg']
    return typeof msg === 'string' && grep.test(msg)
  }
}
