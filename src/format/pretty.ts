import { configure } from 'safe-stable-stringify'
import { fieldKeyColor, levelColor, tagColor, type ColorLevel, type Style } from './colors.ts'
import { hasStack, formatStack, isShownInStack, type StackedError } from './error-stack.ts'
import { formatBareValue, formatFields } from './fields.ts'
import { escapeControl } from './sanitize.ts'

/** Options of {@link createLineFormatter}. */
export interface LineFormatterOptions {
  /** How to color the output (see `resolveColorLevel`); 0 writes no escape sequence at all. */
  colorLevel: ColorLevel
  /** Print line breaks of messages as real line breaks instead of `\n`. Default `false`. */
  multiline?: boolean | undefined
}

/** Turns one parsed record into text: one line ending in `\n`, then any indented stack lines. */
export type LineFormatter = (record: Record<string, unknown>) => string

// Shown in the columns (or dropped, like ppid/hostname/seq), never repeated as fields.
const IDENTITY_KEYS = new Set(['level', 'time', 'pid', 'ppid', 'hostname', 'proc', 'tid', 'thread', 'seq', 'worker', 'msg'])
const LEVEL_LABELS: Readonly<Record<number, string>> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' }
const LABEL_LEVELS: Readonly<Record<string, number>> = { TRACE: 10, DEBUG: 20, INFO: 30, WARN: 40, ERROR: 50, FATAL: 60 }
const LEVEL_WIDTH = 5
const STACK_INDENT = '    '
const stringifyRecord = configure({ bigint: true, circularValue: '[Circular]', deterministic: false })

function pad (value: number, width: number): string {
  return String(value).padStart(width, '0')
}

// Local wall-clock time: records are read next to other local-time output (tests run with TZ=UTC).
function formatClock (time: unknown): string | undefined {
  const ms = typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : Number.NaN
  const date = new Date(ms)
  const hours = date.getHours()
  if (Number.isNaN(hours)) return undefined
  return `${pad(hours, 2)}:${pad(date.getMinutes(), 2)}:${pad(date.getSeconds(), 2)}.${pad(date.getMilliseconds(), 3)}`
}

// Numbers map to labels (unknown ones print as LVL<n>); string levels (pino's `formatters.level`
// can write `"level":"info"`) print upper-cased.
function levelLabel (level: unknown): { label: string, severity: number } | undefined {
  if (typeof level === 'number') return { label: LEVEL_LABELS[level] ?? `LVL${level}`, severity: level }
  if (typeof level !== 'string' || level === '') return undefined
  const label = escapeControl(level.toUpperCase())
  return { label, severity: LABEL_LEVELS[label] ?? Number.NaN }
}

function sourceTag (kind: string, name: string | undefined, id: unknown): string | undefined {
  const idText = formatBareValue(id)
  if (name === undefined) return idText === undefined ? undefined : `${kind}[${idText}]`
  return idText === undefined ? `${kind}[${name}]` : `${kind}[${name}:${idText}]`
}

// `p[proc#worker:pid] t[thread:tid]`, leaving out whatever the record lacks.
function formatTag (record: Record<string, unknown>, colorLevel: ColorLevel): string | undefined {
  const proc = formatBareValue(record['proc'])
  const worker = formatBareValue(record['worker'])
  const procName = worker === undefined ? proc : `${proc ?? ''}#${worker}`
  const processTag = sourceTag('p', procName, record['pid'])
  const threadTag = sourceTag('t', formatBareValue(record['thread']), record['tid'])
  const tag = processTag === undefined ? threadTag : threadTag === undefined ? processTag : `${processTag} ${threadTag}`
  if (tag === undefined) return undefined
  const { pid, tid } = record
  return tagColor(typeof pid === 'number' ? pid : 0, typeof tid === 'number' ? tid : 0, colorLevel)(tag)
}

function formatMessage (msg: unknown, multiline: boolean): string | undefined {
  if (typeof msg === 'string') return msg === '' ? undefined : escapeControl(msg, { keepNewlines: multiline })
  return formatBareValue(msg)
}

// The record itself is a serialized error when it was logged without pino's `err` wrapping.
function isErrorRecord (record: Record<string, unknown>): boolean {
  return typeof record['stack'] === 'string' && typeof record['type'] === 'string'
}

function formatAllFields (record: Record<string, unknown>, keyStyle: Style, err: StackedError | undefined, errorRecord: boolean): string {
  const fields = formatFields(record, (key) => IDENTITY_KEYS.has(key) ||
    (err !== undefined && key === 'err') || (errorRecord && (key === 'stack' || key === 'type')), keyStyle)
  if (err === undefined) return fields
  // Properties the stack does not show (`code`, `errno`…) would be lost with the `err` field.
  const extras = formatFields(err, (key) => isShownInStack(err, key), keyStyle, 'err.')
  return fields === '' || extras === '' ? fields + extras : fields + ' ' + extras
}

interface FormatSettings {
  readonly colorLevel: ColorLevel
  readonly multiline: boolean
  readonly keyStyle: Style
}

function formatRecord (record: Record<string, unknown>, settings: FormatSettings): string {
  let line = ''
  let gap = '' // what separates the next column from the previous one
  const time = formatClock(record['time'])
  if (time !== undefined) { line = time; gap = ' ' }
  const level = levelLabel(record['level'])
  if (level !== undefined) {
    line += gap + levelColor(level.severity, settings.colorLevel)(level.label)
    gap = ' '.repeat(Math.max(1, LEVEL_WIDTH + 1 - level.label.length))
  }
  const tag = formatTag(record, settings.colorLevel)
  if (tag !== undefined) { line += gap + tag; gap = ' ' }
  const msg = formatMessage(record['msg'], settings.multiline)
  if (msg !== undefined) { line += gap + msg; gap = ' ' }
  const err = hasStack(record['err']) ? record['err'] : undefined
  const errorRecord = isErrorRecord(record)
  const fields = formatAllFields(record, settings.keyStyle, err, errorRecord)
  if (fields !== '') line += (gap === '' ? '' : gap.length > 1 ? gap : '  ') + fields
  line += '\n'
  if (err !== undefined) line += formatStack(err, STACK_INDENT)
  if (errorRecord) line += formatStack(record as unknown as StackedError, STACK_INDENT)
  return line
}

// A copy whose throwing properties are replaced by a marker, so that the rest can be shown.
function copyReadable (record: object): Record<string, unknown> {
  const copy: Record<string, unknown> = Object.create(null)
  for (const key of Object.keys(record)) {
    try {
      copy[key] = (record as Record<string, unknown>)[key]
    } catch {
      copy[key] = '[unreadable]'
    }
  }
  return copy
}

// Last resort for a record that broke formatting (throwing getters, proxies): show it as JSON.
function formatUnformattable (record: unknown): string {
  try {
    const readable = typeof record === 'object' && record !== null ? copyReadable(record) : record
    return escapeControl(stringifyRecord(readable) ?? String(record)) + '\n'
  } catch {
    return '[threadlog: unformattable record]\n'
  }
}

/**
 * Creates the function that renders records for humans:
 *
 * `12:00:01.234 INFO  p[api:4242] t[resize:3] resized image  reqId=7f3a user=42`
 *
 * Columns: local time (`HH:MM:ss.SSS`, left out when `time` is missing or invalid), the level
 * (padded to 5, colored), the source tag `p[proc#worker:pid] t[thread:tid]` (colored by source),
 * the message, then — after two spaces — every other field as `key=value`. An `err` with a stack
 * (or a record that is itself a serialized error) prints its stack below, indented by 4 spaces.
 * All data is escaped with `escapeControl`. The formatter never throws.
 *
 * @throws {RangeError} at creation, when `colorLevel` is not 0, 1, 2 or 3.
 */
export function createLineFormatter (options: LineFormatterOptions): LineFormatter {
  const { colorLevel, multiline = false } = options
  if (colorLevel !== 0 && colorLevel !== 1 && colorLevel !== 2 && colorLevel !== 3) {
    throw new RangeError(`threadlog: option "colorLevel" must be 0, 1, 2 or 3, got ${String(colorLevel)}`)
  }
  const settings: FormatSettings = { colorLevel, multiline, keyStyle: fieldKeyColor(colorLevel) }
  return function formatLine (record) {
    try {
      return formatRecord(record, settings)
    } catch {
      return formatUnformattable(record)
    }
  }
}

// Only text that starts like an object is worth a JSON.parse (and its exception on failure).
const LOOKS_LIKE_OBJECT = /^\s*\{/

/**
 * Formats one NDJSON line with `format`. Anything that is not a JSON object (plain text, a JSON
 * array or scalar, broken JSON) passes through unchanged, with a `\n` added when it had none.
 */
export function formatNdjsonLine (format: LineFormatter, line: string): string {
  const text = line.endsWith('\n') ? line.slice(0, -1) : line
  if (!LOOKS_LIKE_OBJECT.test(text)) return text + '\n'
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch {
    return text + '\n'
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return text + '\n'
  return format(value as Record<string, unknown>)
}
