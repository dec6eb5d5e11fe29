import stringify from 'safe-stable-stringify'

/** RFC 5424 6.3.3: an SD-NAME is at most 32 characters. */
export const SD_NAME_MAX_LENGTH = 32

// SD-NAME = 1*32PRINTUSASCII except '=', SP, ']', '"' (RFC 5424 6.3.3). Everything else becomes '_'.
const NOT_SD_NAME = /[^\x21-\x7e]|[= \]"]/gu

/**
 * A record key as an SD-NAME (PARAM-NAME): every character that an SD-NAME may not hold (outside
 * printable US-ASCII, or one of `=`, space, `]`, `"`) becomes `_`, one per code point, and the
 * result is cut to 32 characters. `undefined` for the empty key, which has no SD-NAME: it is dropped.
 */
export function toSdName (key: string): string | undefined {
  if (key === '') return undefined
  return key.replace(NOT_SD_NAME, '_').slice(0, SD_NAME_MAX_LENGTH)
}

/** A PARAM-VALUE's text with `"`, `\` and `]` escaped by a backslash, as RFC 5424 6.3.3 requires. */
export function escapeParamValue (text: string): string {
  return text.replace(/["\\\]]/g, '\\$&')
}

/** Reverses {@link escapeParamValue}: what a receiver reads from an escaped PARAM-VALUE. */
export function unescapeParamValue (escaped: string): string {
  return escaped.replace(/\\(["\\\]])/g, '$1')
}

/** A field's value as PARAM-VALUE text: strings as they are, other scalars as JSON writes them, objects as JSON. */
export function paramText (value: unknown): string {
  if (typeof value === 'string') return value
  return stringify(value) ?? 'null'
}

/**
 * One SD-ELEMENT, `[id name="value" …]`, from the fields in their order, or the NILVALUE `-` when
 * there is none. Keys are made SD-NAMEs ({@link toSdName}); a key that has none is left out.
 */
export function formatSdElement (id: string, fields: Iterable<readonly [string, unknown]>): string {
  let params = ''
  for (const [key, value] of fields) {
    if (value === undefined) continue
    const name = toSdName(key)
    if (name === undefined) continue
    params += ` ${name}="${escapeParamValue(paramText(value))}"`
  }
  return params === '' ? '-' : `[${id}${params}]`
}
