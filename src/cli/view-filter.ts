import { levelOfLabel } from '../levels.ts'
import type { ViewRecord } from '../view/view-record.ts'

/**
 * `threadlog view`'s own record filters, until the CLI's shared predicate (the filter issue) can
 * be applied to its input instead: everything the view reads passes through one function built
 * here, so the switch replaces this module and nothing else.
 */
export interface ViewFilterOptions {
  /** The lowest level shown, a label or a number. */
  level?: string
  /** Thread names, `*` and `?` as globs; any of them. */
  thread?: string[]
  /** Process names, as globs; any of them. */
  proc?: string[]
  /** Process ids; any of them. */
  pid?: string[]
}

/** Whether a record goes into the view. */
export type ViewRecordFilter = (record: ViewRecord) => boolean

/** A filter option's value that does not parse; the message names the option. */
export class ViewFilterError extends Error {}

function globsToRegExp (globs: readonly string[]): RegExp {
  const alternatives = globs.flatMap((glob) => glob.split(',')).filter((glob) => glob !== '')
    .map((glob) => glob.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.'))
  return new RegExp(`^(?:${alternatives.join('|')})$`)
}

function parseLevel (text: string): number {
  const value = /^\d+$/.test(text) ? Number(text) : levelOfLabel(text)
  if (value === undefined) throw new ViewFilterError(`option '--level': unknown level '${text}'`)
  return value
}

function parsePids (texts: readonly string[]): Set<number> {
  const pids = texts.flatMap((text) => text.split(',')).filter((text) => text !== '')
  for (const pid of pids) if (!/^\d+$/.test(pid)) throw new ViewFilterError(`option '--pid': '${pid}' is not a process id`)
  return new Set(pids.map(Number))
}

/**
 * Builds the filter. A lifecycle record is tested as the lane it is drawn in (the thread or the
 * process it describes, not the hub that wrote it), and passes any `--level`: lifecycle records
 * are written at debug, and without them `--level info` would lose every lifetime bar.
 *
 * @throws {ViewFilterError} naming the option whose value does not parse.
 */
export function createViewFilter (options: ViewFilterOptions): ViewRecordFilter {
  const level = options.level === undefined ? undefined : parseLevel(options.level)
  const thread = options.thread === undefined ? undefined : globsToRegExp(options.thread)
  const proc = options.proc === undefined ? undefined : globsToRegExp(options.proc)
  const pid = options.pid === undefined ? undefined : parsePids(options.pid)
  return (record) => {
    const { source } = record
    if (level !== undefined && record.lifecycle === undefined && record.level < level) return false
    if (thread !== undefined && !thread.test(source.thread)) return false
    if (proc !== undefined && !proc.test(source.proc)) return false
    return pid === undefined || pid.has(source.pid)
  }
}
