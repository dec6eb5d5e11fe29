import { tagColor, type ColorLevel, type Style } from './colors.ts'
import { formatStack, hasStack, isShownInStack, type StackedError } from './error-stack.ts'
import { formatBareValue, formatFields } from './fields.ts'
import { escapeControl } from './sanitize.ts'
import { LEVEL_VALUES, levelOfLabel } from '../levels.ts'
import { RECORD_KEYS } from '../record-keys.ts'

// The values a pretty line is made of, shared by the default line and by line templates, so that
// `{time}`, `{level}`, `{msg}` and `{fields}` print exactly what the default columns print.

/** Keys shown in the default columns (or dropped, like ppid/hostname/seq), never repeated as fields. */
export const IDENTITY_KEYS: ReadonlySet<string> = RECORD_KEYS

const LEVEL_LABELS: Readonly<Record<number, string>> = Object.fromEntries(
  Object.entries(LEVEL_VALUES).map(([label, value]) => [value, label.toUpperCase()]))
const STACK_INDENT = '    '

function pad (value: number, width: number): string {
  return String(value).padStart(width, '0')
}

const MILLISECONDS = Array.from({ length: 1000 }, (_, ms) => pad(ms, 3))
// Records come in time order, many per second: the `HH:MM:ss.` of the last second is kept. A time
// zone's offset changes on a whole second, so a second's prefix never changes.
let clockSecond = Number.NaN
let clockPrefix = ''

/** Local wall-clock `HH:MM:ss.SSS` (records are read next to other local-time output); `undefined` when invalid. */
export function formatClock (time: unknown): string | undefined {
  const ms = Math.trunc(typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : Number.NaN)
  const second = Math.floor(ms / 1000)
  if (second !== clockSecond) {
    const date = new Date(ms)
    const hours = date.getHours()
    if (Number.isNaN(hours)) return undefined
    clockPrefix = `${pad(hours, 2)}:${pad(date.getMinutes(), 2)}:${pad(date.getSeconds(), 2)}.`
    clockSecond = second
  }
  return clockPrefix + MILLISECONDS[ms - second * 1000]
}

/** A level's label and the severity that colors it. */
export interface LevelLabel {
  readonly label: string
  readonly severity: number
}

/**
 * Numbers map to labels (unknown ones print as `LVL<n>`); string levels (pino's `formatters.level`
 * can write `"level":"info"`) print upper-cased. `undefined` when the record has no usable level.
 */
export function levelLabel (level: unknown): LevelLabel | undefined {
  if (typeof level === 'number') return { label: LEVEL_LABELS[level] ?? `LVL${level}`, severity: level }
  if (typeof level !== 'string' || level === '') return undefined
  const label = escapeControl(level.toUpperCase())
  return { label, severity: levelOfLabel(label) ?? Number.NaN }
}

/** The color of a record's source (see `tagColor`), from whatever numeric `pid` and `tid` it has. */
export function sourceColor (record: Record<string, unknown>, colorLevel: ColorLevel): Style {
  const { pid, tid } = record
  return tagColor(typeof pid === 'number' ? pid : 0, typeof tid === 'number' ? tid : 0, colorLevel)
}

function sourceTag (kind: string, name: string | undefined, id: unknown): string | undefined {
  const idText = formatBareValue(id)
  if (name === undefined) return idText === undefined ? undefined : `${kind}[${idText}]`
  return idText === undefined ? `${kind}[${name}]` : `${kind}[${name}:${idText}]`
}

/** A source's formatted tag, and the fields it was made from (a pid can be reused, a thread renamed). */
interface CachedTag {
  readonly proc: unknown
  readonly worker: unknown
  readonly thread: unknown
  readonly colorLevel: ColorLevel
  readonly tag: string | undefined
}

/** Tags by pid, then tid: a log has few sources and many records each. Emptied when it grows past this. */
const TAG_CACHE_LIMIT = 4096
const tagCache = new Map<unknown, Map<unknown, CachedTag>>()
let cachedTags = 0

/** `p[proc#worker:pid] t[thread:tid]` in the source's color, leaving out whatever the record lacks. */
export function formatTag (record: Record<string, unknown>, colorLevel: ColorLevel): string | undefined {
  const { pid, tid, proc, worker, thread } = record
  const cached = tagCache.get(pid)?.get(tid)
  if (cached !== undefined && cached.proc === proc && cached.worker === worker && cached.thread === thread &&
      cached.colorLevel === colorLevel) return cached.tag
  const tag = buildTag(record, colorLevel)
  if (++cachedTags > TAG_CACHE_LIMIT) {
    tagCache.clear()
    cachedTags = 1
  }
  let byTid = tagCache.get(pid)
  if (byTid === undefined) tagCache.set(pid, byTid = new Map())
  byTid.set(tid, { proc, worker, thread, colorLevel, tag })
  return tag
}

function buildTag (record: Record<string, unknown>, colorLevel: ColorLevel): string | undefined {
  const proc = formatBareValue(record['proc'])
  const worker = formatBareValue(record['worker'])
  const procName = worker === undefined ? proc : `${proc ?? ''}#${worker}`
  const processTag = sourceTag('p', procName, record['pid'])
  const threadTag = sourceTag('t', formatBareValue(record['thread']), record['tid'])
  const tag = processTag === undefined ? threadTag : threadTag === undefined ? processTag : `${processTag} ${threadTag}`
  return tag === undefined ? undefined : sourceColor(record, colorLevel)(tag)
}

/** The message, escaped (line breaks kept when `multiline`); `undefined` when missing or empty. */
export function formatMessage (msg: unknown, multiline: boolean): string | undefined {
  if (typeof msg === 'string') return msg === '' ? undefined : escapeControl(msg, { keepNewlines: multiline })
  return formatBareValue(msg)
}

/** What a record's stack lines come from: its `err` when that has a stack, and/or the record itself. */
export interface RecordErrors {
  readonly err: StackedError | undefined
  /** The record itself is a serialized error, logged without pino's `err` wrapping. */
  readonly errorRecord: boolean
}

/** Finds the errors whose stacks print below a record's line. */
export function recordErrors (record: Record<string, unknown>): RecordErrors {
  const err = record['err']
  return {
    err: hasStack(err) ? err : undefined,
    errorRecord: typeof record['stack'] === 'string' && typeof record['type'] === 'string'
  }
}

/**
 * The record's fields as `key=value`, except the `hidden` keys and what the stacks below show;
 * properties of `err` the stack does not show (`code`, `errno`…) follow as `err.<key>=value`.
 */
export function formatRemainingFields (
  record: Record<string, unknown>, hidden: ReadonlySet<string>, keyStyle: Style, errors: RecordErrors
): string {
  const { err, errorRecord } = errors
  // pino's `name` is also the default process name: when the tag already shows it, it is not repeated.
  const fields = formatFields(record, (key) => hidden.has(key) || (key === 'name' && record.name === record.proc) ||
    (err !== undefined && key === 'err') || (errorRecord && (key === 'stack' || key === 'type')), keyStyle)
  // A template that prints `{err}` itself shows these properties already.
  if (err === undefined || hidden.has('err')) return fields
  const extras = formatFields(err, (key) => isShownInStack(err, key), keyStyle, 'err.')
  return fields === '' || extras === '' ? fields + extras : fields + ' ' + extras
}

/** The stack lines printed below a record's line, indented by 4 spaces ('' when there are none). */
export function formatStacks (record: Record<string, unknown>, errors: RecordErrors): string {
  let text = ''
  if (errors.err !== undefined) text += formatStack(errors.err, STACK_INDENT)
  if (errors.errorRecord) text += formatStack(record as unknown as StackedError, STACK_INDENT)
  return text
}
