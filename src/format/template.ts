/** Text of a line template printed as it is. */
export interface LiteralPart {
  readonly kind: 'literal'
  readonly text: string
}

/** A `{name}` of a line template: a record key, or a dotted path into nested objects. */
export interface PlaceholderPart {
  readonly kind: 'placeholder'
  /** The name as written: `req.id`. */
  readonly name: string
  /** The keys to follow: `['req', 'id']`. */
  readonly path: readonly string[]
}

/** One piece of a parsed line template. */
export type TemplatePart = LiteralPart | PlaceholderPart

/** A line template, parsed once: what a line formatter renders each record with. */
export interface LineTemplate {
  readonly source: string
  /** Literals and placeholders in order; adjacent literals are merged, empty ones left out. */
  readonly parts: readonly TemplatePart[]
}

// Letters, digits and `_ $ @ -` (`user-agent`, `@timestamp`), with dots between nested keys.
// Everything else (spaces, `:`, `|`, `!`…) is refused now so that it can mean something later.
const PLACEHOLDER_NAME = /^[\p{L}\p{N}_$@-]+(?:\.[\p{L}\p{N}_$@-]+)*$/u

function describeType (value: unknown): string {
  return value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value
}

function syntaxError (option: string, problem: string, position: number): RangeError {
  return new RangeError(`threadlog: ${option}: ${problem} at position ${position}`)
}

function readPlaceholder (template: string, open: number, option: string): PlaceholderPart {
  const close = template.indexOf('}', open + 1)
  const nextOpen = template.indexOf('{', open + 1)
  if (close === -1 || (nextOpen !== -1 && nextOpen < close)) throw syntaxError(option, 'unclosed "{"', open)
  const name = template.slice(open + 1, close)
  if (name === '') throw syntaxError(option, 'empty placeholder "{}"', open)
  if (!PLACEHOLDER_NAME.test(name)) {
    throw syntaxError(option, `invalid placeholder ${JSON.stringify(`{${name}}`)} (a record key: letters, digits, ` +
      '"_", "$", "@", "-", with dots between nested keys)', open)
  }
  return { kind: 'placeholder', name, path: name.split('.') }
}

/**
 * Parses a line template such as `'{time} [{level}] t[{thread}:{tid}] {msg} {fields}'`:
 *
 * - `{key}` is a placeholder for a record's key, `{a.b}` for a nested one (`record.a.b`);
 *   names are letters, digits, `_ $ @ -` and dots between keys.
 * - `{{` and `}}` print a literal `{` and `}`; any other text prints as it is.
 *
 * Errors name `option` (`'option "format"'`, `"option '--format'"`…) and the 0-based position of
 * the offending brace: `threadlog: option "format": unclosed "{" at position 12`.
 *
 * @throws {TypeError} when `template` is not a string.
 * @throws {RangeError} when it is empty, has a `{` without its `}`, a `}` that is neither closing
 * a placeholder nor doubled, an empty `{}` or a placeholder name outside the rules above.
 */
export function parseLineTemplate (template: unknown, option = 'option "format"'): LineTemplate {
  if (typeof template !== 'string') {
    throw new TypeError(`threadlog: ${option} must be a string, got ${describeType(template)}`)
  }
  if (template === '') throw new RangeError(`threadlog: ${option} must not be empty`)
  const parts: TemplatePart[] = []
  let text = ''
  let position = 0
  while (position < template.length) {
    const char = template[position] as string
    const doubled = template[position + 1] === char
    if ((char === '{' || char === '}') && doubled) {
      text += char
      position += 2
    } else if (char === '}') {
      throw syntaxError(option, 'unmatched "}" (write "}}" for a literal one)', position)
    } else if (char === '{') {
      const placeholder = readPlaceholder(template, position, option)
      if (text !== '') parts.push({ kind: 'literal', text })
      text = ''
      parts.push(placeholder)
      position += placeholder.name.length + 2
    } else {
      text += char
      position += 1
    }
  }
  if (text !== '') parts.push({ kind: 'literal', text })
  return { source: template, parts }
}
