// Everything a terminal may interpret: C0 (incl. ESC), DEL, C1 (incl. the 8-bit CSI U+009B) and
// the bidi embeddings/overrides/isolates that can reorder what the reader sees ("Trojan Source").
const UNSAFE = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/
const UNSAFE_ALL = /[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g
const UNSAFE_BUT_NEWLINE = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/
const UNSAFE_BUT_NEWLINE_ALL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/g

const NAMED_ESCAPES: Readonly<Record<string, string>> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' }

function escapeCharacter (char: string): string {
  const named = NAMED_ESCAPES[char]
  if (named !== undefined) return named
  const code = char.charCodeAt(0)
  return code < 0x100
    ? '\\x' + code.toString(16).padStart(2, '0')
    : '\\u' + code.toString(16).padStart(4, '0')
}

/** Options of {@link escapeControl}. */
export interface EscapeOptions {
  /** Leave `\n` as a real line break (for multi-line messages); every other control stays escaped. */
  keepNewlines?: boolean | undefined
}

/**
 * Makes text safe to print on a terminal: logged data must never move the cursor, recolor the
 * screen or reorder what the reader sees. C0 controls, DEL and C1 controls become `\n`, `\r`, `\t`
 * or `\xHH`; bidi controls (U+202A–U+202E, U+2066–U+2069) become `\uHHHH` (hex digits lower-case).
 *
 * @returns `text` itself (the same string) when there is nothing to escape.
 */
export function escapeControl (text: string, options?: EscapeOptions): string {
  if (options?.keepNewlines === true) {
    return UNSAFE_BUT_NEWLINE.test(text) ? text.replace(UNSAFE_BUT_NEWLINE_ALL, escapeCharacter) : text
  }
  return UNSAFE.test(text) ? text.replace(UNSAFE_ALL, escapeCharacter) : text
}
