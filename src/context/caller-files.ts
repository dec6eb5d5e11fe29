import { dirname, isAbsolute, relative, sep } from 'node:path'
import { fileURLToPath } from 'node:url'
import { ownCodeUrl } from '../package-files.ts'
import { FileCache } from './file-cache.ts'

/** Folders whose frames are never the caller: threadlog's own code (tests, examples and transports are outside it) and pino's. */
interface SkippedDirs {
  readonly threadlog: string
  readonly pino: string | undefined
}

// Looked up when the first logger with `caller` is made, not by every program that imports threadlog.
let skippedDirs: SkippedDirs | undefined

function resolveSkippedDirs (): SkippedDirs {
  skippedDirs ??= { threadlog: fileURLToPath(ownCodeUrl()), pino: resolvePinoDir() }
  return skippedDirs
}

function resolvePinoDir (): string | undefined {
  try {
    return dirname(fileURLToPath(import.meta.resolve('pino'))) + sep
  } catch {
    return undefined // a bundle: pino's frames are still above the level method, see captureCallSites
  }
}

/** An absolute path for a file: URL or an absolute path; `undefined` for names such as `[eval]`. */
function toPath (file: string): string | undefined {
  if (file.startsWith('file:')) return fileURLToPath(file)
  return isAbsolute(file) ? file : undefined
}

function isInside (path: string, dir: string): boolean {
  return path.startsWith(dir.endsWith(sep) ? dir : dir + sep) || path === dir
}

/**
 * Validates the `callerIgnore` option: absolute paths or file: URLs (typically `import.meta.url` or
 * `import.meta.dirname` of a logging helper), returned as absolute paths.
 */
export function resolveCallerIgnore (value: unknown): readonly string[] {
  if (value === undefined) return []
  if (!Array.isArray(value)) {
    throw new TypeError('threadlog: option "callerIgnore" must be an array of paths or file: URLs')
  }
  return value.map((entry: unknown, index) => {
    if (typeof entry !== 'string') {
      throw new TypeError(`threadlog: option "callerIgnore[${index}]" must be a string, got ${typeof entry}`)
    }
    let path: string | undefined
    try {
      path = toPath(entry)
    } catch {
      // a malformed file: URL, reported below
    }
    if (path === undefined) {
      throw new RangeError(`threadlog: option "callerIgnore[${index}]" must be an absolute path or a file: URL, got ${JSON.stringify(entry)}`)
    }
    return path
  })
}

/**
 * Decides, per file a frame is in, whether it can be the caller, and if so how `caller` names it:
 * relative to the current directory. Both are cached per file name, so a log call pays a Map
 * lookup; the cache starts over when the current directory changes.
 */
export class CallerFiles {
  readonly #ignore: readonly string[]
  readonly #labels = new FileCache<string | null>((file) => this.#computeLabel(file))
  readonly #skipped = resolveSkippedDirs()
  #cwd = process.cwd()

  constructor (ignore: readonly string[]) {
    this.#ignore = ignore
  }

  /**
   * `,"caller":"<file>` as JSON without its closing quote, for the position to follow; `null` for
   * frames of threadlog, pino, Node itself and the `callerIgnore` files.
   */
  label (file: string): string | null {
    const cwd = process.cwd()
    if (cwd !== this.#cwd) {
      this.#cwd = cwd
      this.#labels.clear()
    }
    return this.#labels.get(file)
  }

  #computeLabel (file: string): string | null {
    if (file.startsWith('node:')) return null
    const path = toPath(file)
    if (path === undefined) return ',"caller":' + JSON.stringify(file).slice(0, -1)
    const { threadlog, pino } = this.#skipped
    if (isInside(path, threadlog) || (pino !== undefined && isInside(path, pino))) return null
    if (this.#ignore.some((ignored) => isInside(path, ignored))) return null
    return ',"caller":' + JSON.stringify(relative(this.#cwd, path)).slice(0, -1)
  }
}
