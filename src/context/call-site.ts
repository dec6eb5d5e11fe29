import { findSourceMap, type SourceMap } from 'node:module'
import { FileCache } from './file-cache.ts'

/** A stack frame's position, in the source the user wrote (after source maps, when there are any). */
export interface SourcePosition {
  /** A file: URL (ESM), an absolute path (CommonJS), or a name such as `[eval]`. */
  readonly file: string
  /** 1-based. */
  readonly line: number
  /** 1-based. */
  readonly column: number
  /** The function's name; `undefined` for anonymous functions and module top level. */
  readonly fn: string | undefined
}

const toCallSites = (_error: Error, sites: NodeJS.CallSite[]): NodeJS.CallSite[] => sites
// Each file's source map when Node loaded one (`--enable-source-maps`), else `null`.
const sourceMaps = new FileCache<SourceMap | null>((file) => findSourceMap(file) ?? null)
// The application's settings while a capture runs; a capture never runs inside another.
let savedPrepare: typeof Error.prepareStackTrace
let savedLimit = 0

/**
 * Prepares `Error.captureStackTrace(holder, above)`, which the caller makes itself, then calls
 * {@link endCapture}: V8 walks every frame above `above` (≈ 0.7 µs each here), so the capture is
 * made in the log method hook itself rather than in a helper. `above` = the level method the user
 * called leaves out that call and everything it called: the user's call comes first, however deep
 * threadlog's and pino's own frames are.
 *
 * V8 hands structured frames only to `Error.prepareStackTrace`, so it is swapped in until
 * endCapture; that also bypasses Node's source mapping, which {@link positionOf} does instead.
 * `limit` is set explicitly because every frame costs, and because an application may have set 0.
 */
export function beginCapture (limit: number): { stack?: unknown } {
  savedPrepare = Error.prepareStackTrace
  savedLimit = Error.stackTraceLimit
  try {
    Error.prepareStackTrace = toCallSites
    Error.stackTraceLimit = limit
  } catch (error) {
    endCapture({}) // a frozen `Error`: put back whatever was changed
    throw error
  }
  return {}
}

/** The frames captured into `holder` (none when the function given as `above` was not on the stack); restores the settings. */
export function endCapture (holder: { stack?: unknown }): NodeJS.CallSite[] {
  const sites = holder.stack // formatted now, on first access, by toCallSites
  if (Error.prepareStackTrace !== savedPrepare) Error.prepareStackTrace = savedPrepare
  if (Error.stackTraceLimit !== savedLimit) Error.stackTraceLimit = savedLimit
  return Array.isArray(sites) ? sites as NodeJS.CallSite[] : []
}

/** A frame's file as V8 names it; `undefined` for frames without one (native functions). */
export function fileOf (site: NodeJS.CallSite): string | undefined {
  return site.getFileName() ?? site.getScriptNameOrSourceURL() ?? undefined
}

/**
 * Where `site` is in the original source. Without a source map that is V8's position: a `.ts` file
 * run through Node's type stripping keeps its positions, since stripping replaces types with spaces.
 * The function name is always V8's: a map's `names` entry at a call names the callee, not the caller.
 */
export function positionOf (site: NodeJS.CallSite, file: string): SourcePosition | undefined {
  const line = site.getLineNumber()
  const column = site.getColumnNumber()
  if (line === null || column === null) return undefined
  const fn = site.getFunctionName() || undefined
  const map = sourceMaps.get(file)
  if (map !== null) {
    const origin = map.findOrigin(line, column)
    if ('fileName' in origin) {
      return { file: origin.fileName, line: origin.lineNumber, column: origin.columnNumber, fn }
    }
  }
  return { file, line, column, fn }
}
