import { parseLineTemplate, type LineTemplate } from './template.ts'

/** Options of the pretty transport, of `createPrettySink` and of the `pretty` target. */
export interface PrettyOptions {
  /** Where lines go: a file descriptor or a file path (appended to). Default `1` (stdout). */
  destination?: number | string | undefined
  /**
   * Force colors on (`true`) or off (`false`). Default: decided from `NO_COLOR`, `FORCE_COLOR`
   * and whether the destination is a terminal (see `resolveColorLevel`).
   */
  colorize?: boolean | undefined
  /** Print line breaks in messages as real line breaks instead of `\n`. Default `false`. */
  multiline?: boolean | undefined
  /**
   * The line's layout, e.g. `'{time} p[{proc}:{pid}] t[{thread}:{tid}] [{level}] {msg} {fields}'`.
   * `{key}` prints a record's key, `{a.b}` a nested one, `{fields}` the fields no placeholder shows;
   * a missing value prints nothing; `{{` and `}}` print braces. Default: the built-in line
   * (`12:00:01.234 INFO  p[api:4242] t[main:0] msg  key=value`). The rules: README, "Line format".
   * A bad template throws a RangeError naming its position when the options are validated.
   */
  format?: string | undefined
  /**
   * Draw the whole line in its level's color (the source tag keeping its own) instead of the level
   * label only. Default `false`.
   */
  colorLine?: boolean | undefined
  /**
   * Whether the destination is a terminal, as seen by the main thread. A transport runs in a worker
   * thread, where `process.stdout.isTTY` is undefined, so the logger passes what it knows. Default:
   * `tty.isatty(destination)` for a file descriptor, `false` for a file path.
   */
  isTTY?: boolean | undefined
}

/** Pretty options, checked, with the template parsed once. */
export interface ValidPrettyOptions extends PrettyOptions {
  readonly template: LineTemplate | undefined
}

// The transport's own options read `pretty option "format"`; a target's, `option "targets[0].options.format"`.
function nameOption (key: string, path: string | undefined): string {
  return path === undefined ? `pretty option "${key}"` : `option "${path}.${key}"`
}

function assertOptionalBoolean (value: unknown, key: string, path: string | undefined): void {
  if (value !== undefined && typeof value !== 'boolean') {
    throw new TypeError(`threadlog: ${nameOption(key, path)} must be a boolean, got ${typeof value}`)
  }
}

/**
 * Validates pretty options wherever they are given: to the transport or sink (`path` left out), or
 * as a `pretty` target's options at `createLogger` (`path` is `'targets[0].options'`), so that a
 * mistake fails in the caller's thread rather than as a target the hub cannot open.
 *
 * @throws {TypeError} naming the option (`threadlog: option "targets[0].options.colorLine" must be
 * a boolean, got string`), or a {RangeError} for a bad `format` template, naming its position.
 */
export function validatePrettyOptions (options: unknown, path?: string): ValidPrettyOptions {
  if (options === undefined) return { template: undefined }
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`threadlog: ${path === undefined ? 'pretty options' : `option "${path}"`} must be an object`)
  }
  const { destination, colorize, multiline, isTTY, format, colorLine } = options as Record<string, unknown>
  if (destination !== undefined && !(typeof destination === 'string' && destination !== '') &&
      !(typeof destination === 'number' && Number.isSafeInteger(destination) && destination >= 0)) {
    throw new TypeError(`threadlog: ${nameOption('destination', path)} must be a file descriptor or a non-empty path`)
  }
  assertOptionalBoolean(colorize, 'colorize', path)
  assertOptionalBoolean(multiline, 'multiline', path)
  assertOptionalBoolean(isTTY, 'isTTY', path)
  assertOptionalBoolean(colorLine, 'colorLine', path)
  const template = format === undefined ? undefined : parseLineTemplate(format, nameOption('format', path))
  return { ...options as PrettyOptions, template }
}
