import { stringifyValue } from '../safety/stringify.ts'
import { colorLevelLabel, fieldKeyColor, levelColor, type ColorLevel, type Style } from './colors.ts'
import {
  IDENTITY_KEYS, formatClock, formatMessage, formatRemainingFields, formatStacks, formatTag, levelLabel, recordErrors
} from './columns.ts'
import { escapeControl } from './sanitize.ts'
import { parseLineTemplate, type LineTemplate } from './template.ts'
import { compileTemplateLine } from './template-line.ts'

/** Options of {@link createLineFormatter}. */
export interface LineFormatterOptions {
  /** How to color the output (see `resolveColorLevel`); 0 writes no escape sequence at all. */
  colorLevel: ColorLevel
  /** Print line breaks of messages as real line breaks instead of `\n`. Default `false`. */
  multiline?: boolean | undefined
  /**
   * A line template (see `parseLineTemplate` and `compileTemplateLine`), as text or already parsed
   * (so that its errors name the option the way the caller does). Default: the built-in line.
   */
  format?: string | LineTemplate | undefined
  /**
   * Draw the whole line in its level's color (the source tag keeping its own color, field keys not
   * dimmed) instead of the level label only. Stack lines below stay uncolored. Default `false`.
   */
  colorLine?: boolean | undefined
}

/** Turns one parsed record into text: one line ending in `\n`, then any indented stack lines. */
export type LineFormatter = (record: Record<string, unknown>) => string

const LEVEL_WIDTH = 5

function isParsed (format: unknown): format is LineTemplate {
  return typeof format === 'object' && format !== null && Array.isArray((format as LineTemplate).parts)
}

interface FormatSettings {
  readonly colorLevel: ColorLevel
  readonly multiline: boolean
  readonly colorLine: boolean
  readonly keyStyle: Style
}

function formatRecord (record: Record<string, unknown>, settings: FormatSettings): string {
  let line = ''
  let gap = '' // what separates the next column from the previous one
  const time = formatClock(record['time'])
  if (time !== undefined) { line = time; gap = ' ' }
  const level = levelLabel(record['level'])
  if (level !== undefined) {
    line += gap + (settings.colorLine ? level.label : colorLevelLabel(level.label, level.severity, settings.colorLevel))
    gap = ' '.repeat(Math.max(1, LEVEL_WIDTH + 1 - level.label.length))
  }
  const tag = formatTag(record, settings.colorLevel)
  if (tag !== undefined) { line += gap + tag; gap = ' ' }
  const msg = formatMessage(record['msg'], settings.multiline)
  if (msg !== undefined) { line += gap + msg; gap = ' ' }
  const errors = recordErrors(record)
  const fields = formatRemainingFields(record, IDENTITY_KEYS, settings.keyStyle, errors)
  if (fields !== '') line += (gap === '' ? '' : gap.length > 1 ? gap : '  ') + fields
  // chalk re-opens the line's color after each nested close, so the tag stays colored inside it.
  if (settings.colorLine) line = levelColor(level?.severity ?? Number.NaN, settings.colorLevel)(line)
  return line + '\n' + formatStacks(record, errors)
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
    return escapeControl(stringifyValue(readable) ?? String(record)) + '\n'
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
 * A `format` template replaces the columns (see `compileTemplateLine`). All data is escaped with
 * `escapeControl`. The formatter never throws.
 *
 * @throws {RangeError} at creation, when `colorLevel` is not 0, 1, 2 or 3, or `format` is not a
 * valid template; {TypeError} when `format` is neither a string nor a parsed template.
 */
export function createLineFormatter (options: LineFormatterOptions): LineFormatter {
  const { colorLevel, multiline = false, format, colorLine = false } = options
  if (colorLevel !== 0 && colorLevel !== 1 && colorLevel !== 2 && colorLevel !== 3) {
    throw new RangeError(`threadlog: option "colorLevel" must be 0, 1, 2 or 3, got ${String(colorLevel)}`)
  }
  // Keys dimmed inside a colored line would also switch off a bold line color (fatal): not dimmed there.
  const keyStyle = colorLine ? fieldKeyColor(0) : fieldKeyColor(colorLevel)
  const settings: FormatSettings = { colorLevel, multiline, colorLine, keyStyle }
  const render = format === undefined
    ? (record: Record<string, unknown>) => formatRecord(record, settings)
    : compileTemplateLine(isParsed(format) ? format : parseLineTemplate(format), settings)
  return function formatLine (record) {
    try {
      return render(record)
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
