import { colorLevelLabel, levelColor, type ColorLevel, type Style } from './colors.ts'
import {
  IDENTITY_KEYS, formatClock, formatMessage, formatRemainingFields, formatStacks, levelLabel, recordErrors,
  sourceColor, type RecordErrors
} from './columns.ts'
import { formatBareValue } from './fields.ts'
import { LineBuilder } from './line-builder.ts'
import type { LineTemplate, PlaceholderPart, TemplatePart } from './template.ts'
import { valueAtPath } from '../record-path.ts'

/** How a template renders; the same settings as the default line. */
export interface TemplateSettings {
  readonly colorLevel: ColorLevel
  readonly multiline: boolean
  /** The whole line in its level's color, rather than the `{level}` value only. */
  readonly colorLine: boolean
  /** The style of `key=` in `{fields}`. */
  readonly keyStyle: Style
}

// A template compiles to these steps once; rendering a record only walks them. One shape for
// every step and direct calls by kind (no closure per placeholder) keep the walk monomorphic.
const TEXT = 0
const KEY = 1
const PATH = 2
const TIME = 3
const LEVEL = 4
const MSG = 5
const FIELDS = 6
const SOURCE_START = 7
const SOURCE_END = 8

interface Step {
  readonly kind: number
  /** Template text printed before this step (all of a TEXT step, which only ends a template). */
  readonly before: string
  /** The key (KEY). */
  readonly key: string
  /** The keys to follow (PATH). */
  readonly path: readonly string[]
}

const SPECIAL_KINDS: Readonly<Record<string, number>> = { time: TIME, level: LEVEL, msg: MSG, fields: FIELDS }
// Drawn in the source's color, like the default line's `p[…] t[…]` tag.
const SOURCE_KEYS: ReadonlySet<string> = new Set(['proc', 'pid', 'thread', 'tid', 'worker'])

function step (kind: number, key = '', path: readonly string[] = []): Step {
  return { kind, before: '', key, path }
}

function textStep (text: string): Step {
  return { kind: TEXT, before: text, key: '', path: [] }
}

// Each text step becomes the `before` of the step after it: half as many steps to walk per record.
function attachText (steps: readonly Step[]): Step[] {
  const attached: Step[] = []
  let before = ''
  for (const next of steps) {
    if (next.kind === TEXT) {
      before += next.before
    } else {
      attached.push({ ...next, before })
      before = ''
    }
  }
  if (before !== '') attached.push(textStep(before))
  return attached
}

function placeholderStep (part: PlaceholderPart): Step {
  // `__proto__` names the prototype unless it is an own key: only the path walk checks that.
  if (part.path.length > 1 || part.name === '__proto__') return step(PATH, part.name, part.path)
  return step(Object.hasOwn(SPECIAL_KINDS, part.name) ? SPECIAL_KINDS[part.name] as number : KEY, part.name)
}

// Read like the default line reads its columns (an own-property check cost ~5 %), and the
// identity keys by constant names as it does: a load by a variable key goes through V8's
// megamorphic cache (~4 % with the four of them), and they are in nearly every template.
function readKey (record: Record<string, unknown>, key: string): unknown {
  switch (key) {
    case 'proc': return record['proc']
    case 'pid': return record['pid']
    case 'thread': return record['thread']
    case 'tid': return record['tid']
    default: return record[key]
  }
}

interface Compiled {
  readonly steps: readonly Step[]
  readonly settings: TemplateSettings
  /** Keys `{fields}` leaves out. */
  readonly hidden: ReadonlySet<string>
}

function renderValue (step: Step, record: Record<string, unknown>, errors: RecordErrors, compiled: Compiled): string | undefined {
  const { settings } = compiled
  switch (step.kind) {
    case KEY: return formatBareValue(readKey(record, step.key))
    case PATH: return formatBareValue(valueAtPath(record, step.path))
    case TIME: return formatClock(record['time'])
    case MSG: return formatMessage(record['msg'], settings.multiline)
    case FIELDS: return formatRemainingFields(record, compiled.hidden, settings.keyStyle, errors)
    default: {
      const level = levelLabel(record['level'])
      if (level === undefined || settings.colorLine) return level?.label
      return colorLevelLabel(level.label, level.severity, settings.colorLevel)
    }
  }
}

/** Runs of source placeholders with only literal text between them: `[first, last]` part indexes. */
function sourceStretches (parts: readonly TemplatePart[]): Array<[number, number]> {
  const stretches: Array<[number, number]> = []
  let first = -1
  let last = -1
  parts.forEach((part, index) => {
    if (part.kind === 'literal') return
    if (SOURCE_KEYS.has(part.name)) {
      if (first === -1) first = index
      last = index
    } else if (first !== -1) {
      stretches.push([first, last])
      first = -1
    }
  })
  if (first !== -1) stretches.push([first, last])
  return stretches
}

/**
 * The steps of a template. A stretch of source placeholders is colored together with the text
 * between them and the text touching it up to the nearest whitespace, so that
 * `p[{proc}:{pid}] t[{thread}:{tid}]` is colored as one tag, like the default line's.
 */
function compileSteps (parts: readonly TemplatePart[], colorLevel: ColorLevel): Step[] {
  const stretches = colorLevel === 0 ? [] : sourceStretches(parts)
  const starts = new Set(stretches.map(([first]) => first))
  const ends = new Set(stretches.map(([, last]) => last))
  const steps: Step[] = []
  const pushText = (text: string) => { if (text !== '') steps.push(textStep(text)) }
  parts.forEach((part, index) => {
    if (part.kind === 'placeholder') {
      if (starts.has(index) && parts[index - 1]?.kind !== 'literal') steps.push(step(SOURCE_START))
      steps.push(placeholderStep(part))
      if (ends.has(index) && parts[index + 1]?.kind !== 'literal') steps.push(step(SOURCE_END))
      return
    }
    let text = part.text
    if (ends.has(index - 1)) {
      const edge = /^\S*/.exec(text)?.[0] ?? ''
      pushText(edge)
      steps.push(step(SOURCE_END))
      text = text.slice(edge.length)
    }
    if (starts.has(index + 1)) {
      const edge = /\S*$/.exec(text)?.[0] ?? ''
      pushText(text.slice(0, text.length - edge.length))
      steps.push(step(SOURCE_START))
      text = edge
    }
    pushText(text)
  })
  return attachText(steps)
}

function renderLine (record: Record<string, unknown>, compiled: Compiled): string {
  const { steps, settings } = compiled
  const errors = recordErrors(record)
  const builder = new LineBuilder()
  for (const step of steps) {
    const kind = step.kind
    if (step.before !== '') builder.text(step.before)
    if (kind === SOURCE_START) builder.startSource()
    else if (kind === SOURCE_END) builder.endSource(sourceColor(record, settings.colorLevel))
    else if (kind !== TEXT) builder.value(renderValue(step, record, errors, compiled))
  }
  let line = builder.finish()
  // chalk re-opens the line's color after each nested close, so the source stays colored inside it.
  if (settings.colorLine) line = levelColor(levelLabel(record['level'])?.severity ?? Number.NaN, settings.colorLevel)(line)
  return line + '\n' + formatStacks(record, errors)
}

/**
 * Compiles a parsed template into the function that renders a record with it: one line ending in
 * `\n`, then the stack lines of an `err` (or of a record that is an error), as the default line does.
 *
 * - `{time}` is the local `HH:MM:ss.SSS`, `{level}` the label (`INFO`, colored unless `colorLine`),
 *   `{msg}` the message (line breaks kept with `multiline`), `{fields}` every field no other
 *   placeholder names and the default line would not repeat either (its identity keys, `err` with
 *   a stack); a dotted placeholder leaves its top-level field in `{fields}`.
 * - Any other placeholder prints the value like a field (strings bare); a missing one prints nothing,
 *   and the template whitespace before it goes too, as does template whitespace at either end.
 * - `proc`, `pid`, `thread`, `tid`, `worker` (with the text between and touching them, up to
 *   whitespace) are drawn in the source's color. Every value is escaped with `escapeControl`.
 */
export function compileTemplateLine (template: LineTemplate, settings: TemplateSettings): (record: Record<string, unknown>) => string {
  const hidden = new Set(IDENTITY_KEYS)
  for (const part of template.parts) if (part.kind === 'placeholder' && part.path.length === 1) hidden.add(part.name)
  const compiled: Compiled = { steps: compileSteps(template.parts, settings.colorLevel), settings, hidden }
  return (record) => renderLine(record, compiled)
}
