import { stringifyValue } from '../safety/stringify.ts'
import { escapeControl } from './sanitize.ts'
import type { Style } from './colors.ts'

// Records may come from anywhere (not only JSON.parse): cycles and BigInts must not throw.

// Bare text would be ambiguous or unsafe with any of these: whitespace, `=`, `"`, controls, bidi.
const NEEDS_QUOTES = /[\s="\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/

function quoteIfNeeded (text: string): string {
  if (text !== '' && !NEEDS_QUOTES.test(text)) return text
  // JSON.stringify escapes C0 controls; escapeControl then catches DEL, C1 and bidi.
  return escapeControl(JSON.stringify(text))
}

function formatStructured (value: object): string | undefined {
  try {
    const json = stringifyValue(value)
    return json === undefined ? undefined : escapeControl(json)
  } catch {
    // A throwing getter or toJSON: show that something was there rather than lose the field.
    return '[unserializable]'
  }
}

/**
 * Renders a field value: strings bare unless empty or containing whitespace, `=`, `"` or control
 * characters (then JSON-quoted), numbers, booleans and null as JSON, objects and arrays as compact
 * JSON. Control and bidi characters are always escaped.
 *
 * @returns `undefined` for values JSON cannot hold (undefined, functions, symbols): the field is skipped.
 */
export function formatFieldValue (value: unknown): string | undefined {
  switch (typeof value) {
    case 'string': return quoteIfNeeded(value)
    case 'number': case 'boolean': case 'bigint': return String(value)
    case 'object': return value === null ? 'null' : formatStructured(value)
    default: return undefined
  }
}

/** Renders a value that stands alone (a name, an id, a message): strings unquoted, but escaped. */
export function formatBareValue (value: unknown): string | undefined {
  return typeof value === 'string' ? escapeControl(value) : formatFieldValue(value)
}

// `key=` as drawn, per style and prefix: the same keys come back on every line, and a key parsed
// from JSON is an interned string whose hash is already known, so the lookup is cheap.
const drawnKeys = new WeakMap<Style, Map<string, Map<string, string>>>()
const DRAWN_KEYS_LIMIT = 1024

/** `key=` as a field of the pretty line draws it: quoted like a string value when it must be, in `keyStyle`. */
export function drawKey (key: string, prefix: string, keyStyle: Style): string {
  let byPrefix = drawnKeys.get(keyStyle)
  if (byPrefix === undefined) drawnKeys.set(keyStyle, byPrefix = new Map())
  let keys = byPrefix.get(prefix)
  if (keys === undefined) byPrefix.set(prefix, keys = new Map())
  let drawn = keys.get(key)
  if (drawn === undefined) {
    drawn = keyStyle(quoteIfNeeded(prefix + key) + '=')
    if (keys.size < DRAWN_KEYS_LIMIT) keys.set(key, drawn)
  }
  return drawn
}

/**
 * Renders `key=value` pairs separated by single spaces, for the keys of `source` that `skip` does
 * not reject. Keys follow the quoting rules of string values; `key=` is drawn with `keyStyle`.
 */
export function formatFields (
  source: object,
  skip: (key: string) => boolean,
  keyStyle: Style,
  prefix = ''
): string {
  let text = ''
  for (const key of Object.keys(source)) {
    if (skip(key)) continue
    const value = formatFieldValue((source as Record<string, unknown>)[key])
    if (value === undefined) continue
    if (text !== '') text += ' '
    text += drawKey(key, prefix, keyStyle) + value
  }
  return text
}
