import { createRequire } from 'node:module'
import { isAbsolute, join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { validatePrettyOptions } from '../format/pretty-options.ts'
import { LEVEL_VALUES as LEVELS } from '../levels.ts'
import { packageFileUrl, type PackageFile } from '../package-files.ts'
import { resolveSyslogOptions } from '../syslog/options.ts'

/** The built-in targets, run inside the hub thread itself. */
const BUILTIN_TARGETS = ['pretty', 'ndjson', 'file'] as const

/**
 * Built-in names of threadlog's own transport modules, loaded by the hub like any pino transport.
 */
const BUILTIN_TRANSPORTS: Readonly<Record<string, PackageFile>> = {
  syslog: 'syslogTransport'
}

/**
 * One destination of the hub, in the shape of pino's `transport.targets`.
 * `target` is `pretty` (threadlog's colored lines; options: `destination`, `colorize`, `multiline`,
 * `format` — a line template — and `colorLine`),
 * `ndjson` (options: `destination`, an fd or a path, default 1), `file` (options: `path`, required;
 * `reopenOnSighup: true` opens `path` anew on SIGHUP, for logrotate without `copytruncate`),
 * `syslog` (RFC 5424 over UDP, TCP, TLS or a unix socket: see `SyslogOptions`),
 * or any module or package that exports a pino transport (pino-abstract-transport), resolved from
 * the application's working directory.
 */
export interface TargetSpec {
  readonly target: string
  /** Lowest level this target receives. Default: everything the logger emits. */
  readonly level?: string | number
  readonly options?: Readonly<Record<string, unknown>>
}

interface ResolvedBase {
  /** What stderr and `stats()` call it: the `target` the user wrote. */
  readonly name: string
  readonly minLevel: number
  readonly options: Readonly<Record<string, unknown>>
}

/** A built-in target, written by the hub's own thread. */
export interface BuiltinTarget extends ResolvedBase {
  readonly kind: typeof BUILTIN_TARGETS[number]
}

/** A pino transport module (threadlog's syslog among them), loaded by the hub. */
export interface TransportTarget extends ResolvedBase {
  readonly kind: 'transport'
  /** The module's file URL. */
  readonly module: string
}

/**
 * The one target of a child process's hub: the root hub's socket. Never configured by the user:
 * a child's records go where the root's targets say.
 */
export interface RelayTarget extends ResolvedBase {
  readonly kind: 'relay'
  readonly path: string
}

/** A target as the hub loads it: validated, each kind with what opening it needs. */
export type ResolvedTarget = BuiltinTarget | TransportTarget | RelayTarget

/** The relay target of a child process whose root hub listens at `path`. */
export function relayTo (path: string): RelayTarget {
  return { kind: 'relay', name: 'root hub', minLevel: 0, options: {}, path }
}

function isBuiltin (target: string): target is BuiltinTarget['kind'] {
  return (BUILTIN_TARGETS as readonly string[]).includes(target)
}

function resolveLevel (level: unknown, option: string): number {
  if (level === undefined) return 0
  if (typeof level === 'number' && Number.isFinite(level)) return level
  if (typeof level === 'string' && LEVELS[level] !== undefined) return LEVELS[level]
  throw new RangeError(`threadlog: option "${option}" must be a level name (${Object.keys(LEVELS).join(', ')}) or a number`)
}

function resolveModule (target: string, option: string): string {
  if (Object.hasOwn(BUILTIN_TRANSPORTS, target)) return packageFileUrl(BUILTIN_TRANSPORTS[target] as PackageFile).href
  if (target.startsWith('file:')) return target
  if (isAbsolute(target)) return pathToFileURL(target).href
  try {
    // Like pino, package names resolve from the application, not from threadlog's own folder.
    return pathToFileURL(createRequire(join(process.cwd(), 'noop.js')).resolve(target)).href
  } catch (error) {
    throw new RangeError(`threadlog: option "${option}": cannot find transport module "${target}"`, { cause: error })
  }
}

/**
 * Validates `targets` at construction, so that a typo fails loudly in the caller's thread instead
 * of inside the hub. Throws a TypeError/RangeError naming the faulty entry.
 */
export function resolveTargets (targets: unknown): ResolvedTarget[] {
  if (!Array.isArray(targets) || targets.length === 0) {
    throw new TypeError('threadlog: option "targets" must be a non-empty array of { target, level?, options? }')
  }
  return targets.map((spec: unknown, index) => {
    const option = `targets[${index}]`
    if (spec === null || typeof spec !== 'object') throw new TypeError(`threadlog: option "${option}" must be an object`)
    const { target, level, options = {} } = spec as Record<string, unknown>
    if (typeof target !== 'string' || target === '') {
      throw new TypeError(`threadlog: option "${option}.target" must be a non-empty string`)
    }
    if (options === null || typeof options !== 'object') {
      throw new TypeError(`threadlog: option "${option}.options" must be an object`)
    }
    if (target === 'file' && typeof (options as Record<string, unknown>).path !== 'string') {
      throw new TypeError(`threadlog: option "${option}.options.path" must be a string for the file target`)
    }
    const reopen = (options as Record<string, unknown>).reopenOnSighup
    if (target === 'file' && reopen !== undefined && typeof reopen !== 'boolean') {
      throw new TypeError(`threadlog: option "${option}.options.reopenOnSighup" must be a boolean`)
    }
    // A bad option fails here, in the caller's thread, rather than as a target the hub cannot open.
    if (target === 'pretty') validatePrettyOptions(options, `${option}.options`)
    if (target === 'syslog') resolveSyslogOptions(options, `${option}.options`)
    const base = { name: target, minLevel: resolveLevel(level, `${option}.level`), options: options as Record<string, unknown> }
    return isBuiltin(target)
      ? { kind: target, ...base }
      : { kind: 'transport', module: resolveModule(target, `${option}.target`), ...base }
  })
}
