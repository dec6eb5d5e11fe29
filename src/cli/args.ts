import { parseArgs, type ParseArgsOptionsConfig } from 'node:util'
import { parseLineTemplate, type LineTemplate } from '../format/template.ts'
import { SELECT_KEYS } from '../tree/frames.ts'
import { parseCriteria, type Criteria } from '../select/criteria.ts'
import { UsageError, asUsageError } from './usage-error.ts'
import { rethrowAs } from '../library-error.ts'

/** An option as this file describes it: `value` names what its argument is, for messages. */
type OptionSpec = { readonly type: 'string' | 'boolean', readonly short?: string, readonly multiple?: boolean, readonly value?: string }

// parseArgs runs lenient and the tokens are checked in `checkTokens`, for short messages of our
// own and so that only --color has a --no- form. `value` names what an option's argument is.
const OPTIONS = {
  color: { type: 'boolean' },
  'color-line': { type: 'boolean' },
  format: { type: 'string', value: 'a template' },
  multiline: { type: 'boolean' },
  level: { type: 'string', value: 'a level' },
  thread: { type: 'string', value: 'a thread name or id' },
  pid: { type: 'string', value: 'a process id' },
  proc: { type: 'string', value: 'a process name' },
  where: { type: 'string', multiple: true, value: 'a <path>=<glob> or <path>!=<glob> test' },
  since: { type: 'string', value: 'a time' },
  until: { type: 'string', value: 'a time' },
  grep: { type: 'string', value: 'a regular expression' },
  filter: { type: 'string', value: 'directives' },
  output: { type: 'string', short: 'o', value: 'pretty or ndjson' },
  group: { type: 'boolean' },
  stats: { type: 'boolean' },
  'after-context': { type: 'string', short: 'A', value: 'a number of lines' },
  'before-context': { type: 'string', short: 'B', value: 'a number of lines' },
  context: { type: 'string', short: 'C', value: 'a number of lines' },
  follow: { type: 'boolean', short: 'f' },
  help: { type: 'boolean', short: 'h' },
  version: { type: 'boolean', short: 'v' }
} as const

type OptionName = keyof typeof OPTIONS

/** How selected records are written. */
export type OutputMode = 'pretty' | 'ndjson'

/** The command line, understood and checked. */
export interface CommandLine {
  /** `--color` / `--no-color`; `undefined`: the pretty transport's policy decides. */
  readonly color: boolean | undefined
  readonly colorLine: boolean
  readonly template: LineTemplate | undefined
  readonly multiline: boolean
  readonly output: OutputMode
  readonly group: boolean
  readonly stats: boolean
  /** Context lines of the same source before and after each match (`-B`, `-A`; `-C` sets both). */
  readonly before: number
  readonly after: number
  readonly follow: boolean
  readonly criteria: Criteria
  readonly help: boolean
  readonly version: boolean
  /** The inputs in order; `-` is standard input. */
  readonly files: string[]
}

/** The names of every option, for shell completion: `--level`, `-A`… */
export const OPTION_NAMES: readonly string[] = optionNames(OPTIONS)

function optionNames (options: Readonly<Record<string, OptionSpec>>): string[] {
  return Object.entries(options).flatMap(([name, spec]) =>
    [spec.short === undefined ? [] : [`-${spec.short}`], `--${name}`, name === 'color' ? ['--no-color'] : []].flat())
}

/** The options that take an argument, for shell completion. */
export const OPTIONS_WITH_VALUE: ReadonlySet<string> = new Set(Object.entries(OPTIONS)
  .filter(([, spec]) => spec.type === 'string').flatMap(([name, spec]) => ['short' in spec ? `-${spec.short}` : '', `--${name}`]))

// Lenient parseArgs takes the next argument as the value even when it is `--no-color` or `--`:
// that is a forgotten value. A value that starts with a dash can still be given inline.
function isOptionLike (value: string, inline: boolean | undefined): boolean {
  return inline !== true && value.startsWith('-') && !/^-\d/.test(value)
}

function checkTokens (tokens: NonNullable<ReturnType<typeof parseArgs>['tokens']>, options: Readonly<Record<string, OptionSpec>>): void {
  for (const token of tokens) {
    if (token.kind !== 'option') continue
    const negated = token.rawName.startsWith('--no-')
    if (!Object.hasOwn(options, token.name) || (negated && token.name !== 'color')) {
      throw new UsageError(`unknown option '${token.rawName}'`)
    }
    const spec = options[token.name] as OptionSpec
    if (spec.value !== undefined) {
      if (token.value === undefined || isOptionLike(token.value, token.inlineValue)) {
        throw new UsageError(`option '${token.rawName}' needs ${spec.value}`)
      }
    } else if (token.value !== undefined) {
      throw new UsageError(`option '${token.rawName}' takes no value`)
    }
  }
}

// The library's own message, under the prefix every usage error gets when it is printed.
function parseTemplate (format: string | undefined): LineTemplate | undefined {
  if (format === undefined) return undefined
  return rethrowAs(() => parseLineTemplate(format, "option '--format'"), RangeError, (message) => new UsageError(message))
}

function parseCount (value: string | undefined, option: string): number | undefined {
  if (value === undefined) return undefined
  if (!/^\d{1,9}$/.test(value)) throw new UsageError(`option '${option}' needs a number of lines, got '${value}'`)
  return Number(value)
}

function parseOutput (value: string | undefined): OutputMode {
  if (value === undefined || value === 'pretty' || value === 'ndjson') return value ?? 'pretty'
  throw new UsageError(`option '--output' must be pretty or ndjson, got '${value}'`)
}

// Modes that cannot work together are refused rather than one silently winning.
function checkCombinations (line: CommandLine): void {
  const context = line.before > 0 || line.after > 0
  if (line.stats && (line.group || context)) throw new UsageError("option '--stats' prints a table: it takes no '--group' nor context lines")
  if (line.group && context) throw new UsageError("option '--group' takes no context lines")
  if (line.follow && (line.group || line.stats)) throw new UsageError("option '--follow' never ends: it cannot '--group' nor '--stats'")
  if (line.follow && line.files.length !== 1) throw new UsageError("option '--follow' needs exactly one file")
  if (line.follow && line.files[0] === '-') throw new UsageError("option '--follow' needs a file, not standard input")
}

type Values = ReturnType<typeof parseArgs>['values']

/**
 * Parses `args` against `options` (also a subcommand's own small set, as `ps` and `set` have), with
 * the short messages of {@link checkTokens}.
 *
 * @throws {UsageError} for an unknown option, a missing value or a value given to a flag.
 */
export function parseWith (args: string[], options: Readonly<Record<string, OptionSpec>>): { values: Values, positionals: string[] } {
  const { values, positionals, tokens } = parseArgs({
    args, options: options as ParseArgsOptionsConfig, allowPositionals: true, allowNegative: true, strict: false, tokens: true
  })
  checkTokens(tokens, options)
  return { values, positionals }
}

/** The selecting and output options, read the same way for a file and for a live tree. */
function readLine (values: Values, files: string[]): CommandLine {
  const text = (name: OptionName): string | undefined => values[name] as string | undefined
  const context = parseCount(text('context'), '-C') ?? 0
  return {
    color: values.color as boolean | undefined,
    colorLine: values['color-line'] === true,
    template: parseTemplate(text('format')),
    multiline: values.multiline === true,
    output: parseOutput(text('output')),
    group: values.group === true,
    stats: values.stats === true,
    before: parseCount(text('before-context'), '-B') ?? context,
    after: parseCount(text('after-context'), '-A') ?? context,
    follow: values.follow === true,
    criteria: asUsageError(() => parseCriteria({
      level: text('level'),
      thread: text('thread'),
      pid: text('pid'),
      proc: text('proc'),
      where: (values.where as string[] | undefined) ?? [],
      since: text('since'),
      until: text('until'),
      grep: text('grep'),
      filter: text('filter')
    }, Date.now())),
    help: values.help === true,
    version: values.version === true,
    files
  }
}

/**
 * Understands `args` (without `node` and the script).
 *
 * @throws {UsageError} for an unknown option, a missing or bad value, or options that exclude each other.
 */
export function parseCommandLine (args: string[]): CommandLine {
  const { values, positionals } = parseWith(args, OPTIONS)
  const line = readLine(values, positionals.length === 0 ? ['-'] : positionals)
  checkCombinations(line)
  return line
}

// `attach` takes the selecting and output options, but reads no files (the tree is its input) and
// never ends (so it cannot group or count).
const { follow: _follow, version: _version, group: _group, stats: _stats, ...ATTACH_SELECT } = OPTIONS
const ATTACH_OPTIONS = {
  ...ATTACH_SELECT,
  set: { type: 'string', value: 'directives' },
  keep: { type: 'boolean' },
  'to-targets': { type: 'boolean' }
} as const

/** The names of `attach`'s options, for shell completion. */
export const ATTACH_OPTION_NAMES: readonly string[] = optionNames(ATTACH_OPTIONS)

/** `threadlog attach`, understood and checked. */
export interface AttachLine extends CommandLine {
  /** A root pid, or a process name (a glob). */
  readonly tree: string
  /** Directives for the whole tree while attached (`--set`). */
  readonly set: string | undefined
  readonly keep: boolean
  readonly toTargets: boolean
  /**
   * The selecting options as given, for the hub to preselect with (frames.ts `AttachRequest`);
   * undefined with context lines, which need the records around the selected ones.
   */
  readonly select: Readonly<Record<string, string>> | undefined
}

/**
 * Understands `threadlog attach <pid|proc> [options]`.
 *
 * @throws {UsageError} as {@link parseCommandLine}, for a missing tree, and for options a live stream cannot take.
 */
export function parseAttachLine (args: string[]): AttachLine {
  const { values, positionals } = parseWith(args, ATTACH_OPTIONS)
  const line = readLine(values, [])
  if (line.help) return { ...line, tree: '', set: undefined, keep: false, toTargets: false, select: undefined }
  if (positionals.length !== 1) throw new UsageError(`attach needs one process tree (a pid or a process name), got ${positionals.length}`)
  const set = values.set as string | undefined
  if (set === undefined && (values.keep === true || values['to-targets'] === true)) {
    throw new UsageError("options '--keep' and '--to-targets' go with '--set'")
  }
  const given = SELECT_KEYS.flatMap((key) => typeof values[key] === 'string' ? [[key, values[key]] as const] : [])
  const select = line.before > 0 || line.after > 0 || given.length === 0 ? undefined : Object.fromEntries(given)
  return { ...line, tree: positionals[0] as string, set, keep: values.keep === true, toTargets: values['to-targets'] === true, select }
}

