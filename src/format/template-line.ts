import { levelColor, type ColorLevel, type Style } from './colors.ts'
import {
  IDENTITY_KEYS, formatClock, formatMessage, formatRemainingFields, formatStacks, levelLabel, recordErrors,
  sourceColor, type RecordErrors
} from './columns.ts'
import { formatBareValue } from './fields.ts'
import type { LineTemplate, PlaceholderPart, TemplatePart } from './template.ts'

/** How a template renders; the same settings as the default line. */
export interface TemplateSettings {
  readonly colorLevel: ColorLevel
  readonly multiline: boolean
  /** The whole line in its level's color, rather than the `{level}` value only. */
  readonly colorLine: boolean
  /** The style of `key=` in `{fields}`. */
  readonly keyStyle: Style
}

type ValueRenderer = (record: Record<string, unknown>, errors: RecordErrors) => string | undefined

// A template compiles to these steps once; rendering a record only walks them.
type Step =
  | { readonly kind: 'text', readonly text: string }
  | { readonly kind: 'value', readonly render: ValueRenderer }
  | { readonly kind: 'source-start' }
  | { readonly kind: 'source-end' }

// Drawn in the source's color, like the default line's `p[…] t[…]` tag.
const SOURCE_KEYS: ReadonlySet<string> = new Set(['proc', 'pid', 'thread', 'tid', 'worker'])
const SOURCE_START: Step = { kind: 'source-start' }
const SOURCE_END: Step = { kind: 'source-end' }

function keyRenderer (path: readonly string[]): ValueRenderer {
  const [first] = path
  if (path.length === 1 && first !== undefined) {
    return (record) => Object.hasOwn(record, first) ? formatBareValue(record[first]) : undefined
  }
  return (record) => {
    let value: unknown = record
    // Own properties only: `{constructor}` or `{a.__proto__}` must not reach into prototypes.
    for (const key of path) {
      if (typeof value !== 'object' || value === null || !Object.hasOwn(value, key)) return undefined
      value = (value as Record<string, unknown>)[key]
    }
    return formatBareValue(value)
  }
}

function valueRenderer (part: PlaceholderPart, settings: TemplateSettings, hidden: ReadonlySet<string>): ValueRenderer {
  const { colorLevel, colorLine, multiline, keyStyle } = settings
  switch (part.name) {
    case 'time': return (record) => formatClock(record['time'])
    case 'msg': return (record) => formatMessage(record['msg'], multiline)
    case 'fields': return (record, errors) => formatRemainingFields(record, hidden, keyStyle, errors)
    case 'level': return (record) => {
      const level = levelLabel(record['level'])
      if (level === undefined) return undefined
      return colorLine ? level.label : levelColor(level.severity, colorLevel)(level.label)
    }
    default: return keyRenderer(part.path)
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
function compileSteps (template: LineTemplate, settings: TemplateSettings): Step[] {
  const { parts } = template
  const hidden = new Set(IDENTITY_KEYS)
  for (const part of parts) if (part.kind === 'placeholder' && part.path.length === 1) hidden.add(part.name)
  const stretches = settings.colorLevel === 0 ? [] : sourceStretches(parts)
  const starts = new Set(stretches.map(([first]) => first))
  const ends = new Set(stretches.map(([, last]) => last))
  const steps: Step[] = []
  const pushText = (text: string) => { if (text !== '') steps.push({ kind: 'text', text }) }
  parts.forEach((part, index) => {
    if (part.kind === 'placeholder') {
      if (starts.has(index) && parts[index - 1]?.kind !== 'literal') steps.push(SOURCE_START)
      steps.push({ kind: 'value', render: valueRenderer(part, settings, hidden) })
      if (ends.has(index) && parts[index + 1]?.kind !== 'literal') steps.push(SOURCE_END)
      return
    }
    let text = part.text
    if (ends.has(index - 1)) {
      const edge = /^\S*/.exec(text)?.[0] ?? ''
      pushText(edge)
      steps.push(SOURCE_END)
      text = text.slice(edge.length)
    }
    if (starts.has(index + 1)) {
      const edge = /\S*$/.exec(text)?.[0] ?? ''
      pushText(text.slice(0, text.length - edge.length))
      steps.push(SOURCE_START)
      text = edge
    }
    pushText(text)
  })
  return steps
}

// Template whitespace after the last printed value (at `valueEnd`) goes: a missing value must not
// leave a double space or a line ending in spaces. Values themselves are never trimmed.
function trimTemplateSpace (line: string, valueEnd: number): string {
  if (line.length === valueEnd) return line
  const tail = line.slice(valueEnd)
  const trimmed = tail.trimEnd()
  return trimmed.length === tail.length ? line : line.slice(0, valueEnd) + trimmed
}

function renderLine (record: Record<string, unknown>, steps: readonly Step[], settings: TemplateSettings): string {
  const errors = recordErrors(record)
  let line = ''
  let valueEnd = 0
  let sourceStart = 0
  for (const step of steps) {
    switch (step.kind) {
      case 'text':
        // A line never starts with template whitespace (the values before it printed nothing).
        line += line === '' ? step.text.trimStart() : step.text
        break
      case 'value': {
        const value = step.render(record, errors)
        if (value === undefined || value === '') {
          line = trimTemplateSpace(line, valueEnd)
        } else {
          line += value
          valueEnd = line.length
        }
        break
      }
      case 'source-start':
        sourceStart = line.length
        break
      case 'source-end':
        if (line.length > sourceStart) {
          const styled = line.slice(0, sourceStart) + sourceColor(record, settings.colorLevel)(line.slice(sourceStart))
          if (valueEnd > sourceStart) valueEnd = styled.length
          line = styled
        }
        break
    }
  }
  line = trimTemplateSpace(line, valueEnd)
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
  const steps = compileSteps(template, settings)
  return (record) => renderLine(record, steps, settings)
}
