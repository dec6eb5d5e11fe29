import pino, { type Logger } from 'pino'
import type { LogMethodHook } from '../safety/guard.ts'
import { currentFrame } from './async-context.ts'
import { beginCapture, endCapture, fileOf, positionOf, type SourcePosition } from './call-site.ts'
import { CallerFiles } from './caller-files.ts'
import { swapCallerFields } from './enrich.ts'

// Frames captured per attempt. Nearly always the first frame below the level method is the caller;
// when it is not (a `callerIgnore` helper, threadlog's own exit handler), a second capture looks
// deeper: enough for helpers calling helpers, and bounded, since every frame costs.
const LIMITS = [1, 16]
const { chindingsSym } = pino.symbols

/** The frame a record names: its `caller` label (see CallerFiles.label) and position. */
interface UserFrame {
  readonly label: string
  readonly position: SourcePosition
}

/** The function a user calls for `level` (`logger.info`…): every frame from it up is pino's or threadlog's. */
function levelMethodOf (logger: Logger, level: number): unknown {
  const label = logger.levels.labels[level]
  return label === undefined ? undefined : (logger as unknown as Record<string, unknown>)[label]
}

/** A logger's top-level binding keys, and the bindings string they were parsed from. */
interface BindingKeys {
  readonly chindings: unknown
  readonly keys: ReadonlySet<string>
}

const bindingKeysByLogger = new WeakMap<Logger, BindingKeys>()

/**
 * The top-level keys of the logger's bindings (pino `base`, child bindings). Bindings are one
 * serialized string (`,"key":value…`) in which a nested key looks like a top-level one, so they are
 * parsed: once per logger, and again only when `setBindings` has replaced the string.
 */
function bindingKeysOf (logger: Logger): ReadonlySet<string> {
  const chindings = (logger as unknown as Record<symbol, unknown>)[chindingsSym]
  const cached = bindingKeysByLogger.get(logger)
  if (cached !== undefined && cached.chindings === chindings) return cached.keys
  const keys = new Set(Object.keys(logger.bindings()))
  bindingKeysByLogger.set(logger, { chindings, keys })
  return keys
}

/** Whether the record already has a top-level field `key` of the user's own, which then wins over threadlog's. */
function hasUserField (key: string, bindingKeys: ReadonlySet<string>, fields: unknown, context: boolean): boolean {
  if (typeof fields === 'object' && fields !== null && !(fields instanceof Error) &&
      (fields as Record<string, unknown>)[key] !== undefined) return true
  if (bindingKeys.has(key)) return true
  return context && currentFrame()?.entries.has(key) === true
}

/** `,"caller":…,"fn":…` for `frame`, leaving out what the user's own fields already name. */
function serializeCaller ({ label, position }: UserFrame, logger: Logger, fields: unknown, context: boolean): string {
  const bindingKeys = bindingKeysOf(logger)
  let json = ''
  if (!hasUserField('caller', bindingKeys, fields, context)) json += label + ':' + position.line + ':' + position.column + '"'
  if (position.fn !== undefined && !hasUserField('fn', bindingKeys, fields, context)) {
    json += ',"fn":' + JSON.stringify(position.fn)
  }
  return json
}

/**
 * Wraps a logger's `hooks.logMethod` (threadlog's guard) for the `caller` option: before the record
 * is written, it finds the user's frame — the first one below the level method the user called that
 * is not in threadlog's, pino's or Node's own code nor in a `callerIgnore` file — and hands its
 * location to the record prefix. That holds through child loggers, a `hooks.logMethod` of the
 * user's, pino's `fatal` wrapper and bound methods. Failing to find it only leaves the fields out.
 */
export function createCallerHook (hook: LogMethodHook, ignore: readonly string[], context: boolean): LogMethodHook {
  const files = new CallerFiles(ignore)

  function findUserFrame (sites: NodeJS.CallSite[]): UserFrame | undefined {
    for (const site of sites) {
      const file = fileOf(site)
      if (file === undefined || files.label(file) === null) continue
      const position = positionOf(site, file)
      if (position === undefined) continue
      // A source map may lead into a file that is ignored (a helper given by its .ts path).
      const label = position.file === file ? files.label(file) : files.label(position.file)
      if (label !== null) return { label, position }
    }
    return undefined
  }

  return function logWithCaller (args, method, level) {
    let json = ''
    try {
      const levelMethod = levelMethodOf(this, level)
      let above = typeof levelMethod === 'function' ? levelMethod : logWithCaller
      for (const limit of LIMITS) {
        const holder = beginCapture(limit)
        let sites: NodeJS.CallSite[]
        try {
          Error.captureStackTrace(holder, above) // here, not in a helper: see beginCapture
        } finally {
          sites = endCapture(holder)
        }
        // The level method not on the stack (replaced after the call began): skip this hook's frame
        // only, and let the file rules skip the rest of threadlog's and pino's.
        if (sites.length === 0) above = logWithCaller
        const frame = findUserFrame(sites)
        if (frame !== undefined) {
          json = serializeCaller(frame, this, args[0], context)
          break
        }
      }
    } catch {
      json = '' // the location is an extra: failing to find it must not cost the record
    }
    // Put back afterwards: a log call made while writing this one must not take or erase its location.
    const outer = swapCallerFields(json)
    try {
      hook.call(this, args, method, level)
    } finally {
      swapCallerFields(outer)
    }
  }
}
