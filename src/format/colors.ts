import { Chalk, type ChalkInstance } from 'chalk'

/** chalk's color levels: 0 none, 1 basic 16 colors, 2 ansi256, 3 truecolor. */
export type ColorLevel = 0 | 1 | 2 | 3

/** Wraps text in a color (or returns it as is at level 0). */
export type Style = (text: string) => string

/** What {@link resolveColorLevel} decides from. */
export interface ColorPolicy {
  /** An explicit choice (`--color`/`--no-color`, the `colorize` option); it beats the environment. */
  colorize?: boolean | undefined
  /** The environment to read `NO_COLOR`, `FORCE_COLOR`, `TERM` and `COLORTERM` from. */
  env: Readonly<Record<string, string | undefined>>
  /** Whether the destination is a terminal. */
  isTTY: boolean
}

const plain: Style = (text) => text

function detectTerminalLevel (env: ColorPolicy['env']): 1 | 2 | 3 {
  const term = env['TERM'] ?? ''
  const colorterm = env['COLORTERM'] ?? ''
  if (/truecolor|24bit/i.test(colorterm) || /truecolor|24bit|-direct/i.test(term)) return 3
  if (/256colou?r/i.test(term) || /256colou?r/i.test(colorterm)) return 2
  return 1
}

// FORCE_COLOR follows supports-color: "0"/"false" disable, a number is a level (capped at 3),
// and any other value (empty, "true", "yes") means "force", at the basic level.
function forcedLevel (value: string): ColorLevel {
  if (value === 'false') return 0
  if (!/^\d+$/.test(value)) return 1
  return Math.min(Number(value), 3) as ColorLevel
}

/**
 * Decides how a sink colors its output. chalk's own detection ignores `NO_COLOR` and looks at the
 * producer's stdout, so the sink decides instead, in this order:
 *
 * | colorize | NO_COLOR  | FORCE_COLOR        | isTTY | level                                  |
 * |----------|-----------|--------------------|-------|----------------------------------------|
 * | `false`  | any       | any                | any   | 0                                      |
 * | `true`   | any       | `1`, `2`, `3`      | any   | that level                             |
 * | `true`   | any       | other or unset     | any   | terminal detection (below), at least 1 |
 * | unset    | non-empty | any                | any   | 0                                      |
 * | unset    | unset/""  | `0`, `false`       | any   | 0                                      |
 * | unset    | unset/""  | `1`, `2`, `3` (≥3) | any   | that level (capped at 3)               |
 * | unset    | unset/""  | "", `true`, other  | any   | 1                                      |
 * | unset    | unset/""  | unset              | false | 0                                      |
 * | unset    | unset/""  | unset              | true  | 0 if `TERM=dumb`, else detection       |
 *
 * Terminal detection: 3 when `COLORTERM` or `TERM` mentions `truecolor`/`24bit` (or `TERM` ends in
 * `-direct`), 2 when either mentions `256color`, else 1.
 */
export function resolveColorLevel (policy: ColorPolicy): ColorLevel {
  const { colorize, env, isTTY } = policy
  const force = env['FORCE_COLOR']
  if (colorize === false) return 0
  if (colorize === true) {
    return force === '1' || force === '2' || force === '3' ? Number(force) as ColorLevel : detectTerminalLevel(env)
  }
  if (env['NO_COLOR'] !== undefined && env['NO_COLOR'] !== '') return 0
  if (force !== undefined) return forcedLevel(force)
  if (!isTTY || env['TERM'] === 'dumb') return 0
  return detectTerminalLevel(env)
}

// One chalk per level, created on first use; never the global instance (its level is auto-detected).
const chalks: Array<ChalkInstance | undefined> = []

function chalkAt (level: ColorLevel): ChalkInstance {
  return (chalks[level] ??= new Chalk({ level }))
}

// Highest first: a level is colored like the first threshold it reaches.
const LEVEL_THRESHOLDS = [60, 50, 40, 30, 20, 10] as const
const levelPalettes: Array<readonly Style[] | undefined> = []

function levelPalette (level: 1 | 2 | 3): readonly Style[] {
  const chalk = chalkAt(level)
  return (levelPalettes[level] ??= [chalk.bold.white.bgRed, chalk.red, chalk.yellow, chalk.green, chalk.cyan, chalk.gray])
}

/**
 * The color of a level label: trace gray, debug cyan, info green, warn yellow, error red, fatal
 * bold white on red. A custom level takes the color of the highest standard level at or below it
 * (45 is colored as warn); levels below 10 are not colored.
 */
export function levelColor (level: number, colorLevel: ColorLevel): Style {
  if (colorLevel === 0) return plain
  const index = LEVEL_THRESHOLDS.findIndex((threshold) => level >= threshold)
  return levelPalette(colorLevel)[index] ?? plain
}

/** The style of the `key=` part of fields: dimmed, so that values stand out. */
export function fieldKeyColor (colorLevel: ColorLevel): Style {
  return colorLevel === 0 ? plain : chalkAt(colorLevel).dim
}

// Readable on dark and light backgrounds; no black, white, gray (trace) nor red (error).
const BASIC_TAG_COLORS = [
  'blue', 'magenta', 'cyan', 'green', 'yellow',
  'blueBright', 'magentaBright', 'cyanBright', 'greenBright', 'yellowBright'
] as const
const ANSI256_TAG_COLORS = [33, 37, 40, 64, 69, 99, 129, 136, 170, 172, 178, 31] as const
// Coprime with both palette sizes (10 and 12), so consecutive thread ids walk the whole palette.
const TID_STEP = 7

const tagPalettes: Array<readonly Style[] | undefined> = []

function tagPalette (level: 1 | 2 | 3): readonly Style[] {
  const chalk = chalkAt(level)
  return (tagPalettes[level] ??= level === 1
    ? BASIC_TAG_COLORS.map((name) => chalk[name])
    : ANSI256_TAG_COLORS.map((code) => chalk.ansi256(code)))
}

// FNV-1a over the pid's four bytes: stable across runs, processes and machines.
function hashPid (pid: number): number {
  let hash = 0x811c9dc5
  for (let shift = 0; shift < 32; shift += 8) {
    hash = Math.imul(hash ^ ((pid >>> shift) & 0xff), 0x01000193)
  }
  return hash >>> 0
}

/**
 * The color of a record's `p[…] t[…]` tag, so that interleaved sources stand apart. It depends
 * only on `pid` and `tid`: the same source gets the same color in every run and every process.
 * The pid picks a place in the palette and each thread id steps from it, so the threads of one
 * process get distinct colors (up to the palette size: 10 at level 1, 12 ansi256 colors above).
 */
export function tagColor (pid: number, tid: number, colorLevel: ColorLevel): Style {
  if (colorLevel === 0) return plain
  const palette = tagPalette(colorLevel)
  const offset = (hashPid(pid) + (tid | 0) * TID_STEP) % palette.length
  return palette[(offset + palette.length) % palette.length] ?? plain
}

const levelLabelStyles: Array<Map<string, string> | undefined> = []

/** `levelColor(level, colorLevel)(label)`, remembered per label and color level (labels are few). */
export function colorLevelLabel (label: string, level: number, colorLevel: ColorLevel): string {
  if (colorLevel === 0) return label
  const styles = (levelLabelStyles[colorLevel] ??= new Map())
  const key = `${level}\0${label}`
  let styled = styles.get(key)
  if (styled === undefined) {
    styled = levelColor(level, colorLevel)(label)
    if (styles.size < 1024) styles.set(key, styled)
  }
  return styled
}
