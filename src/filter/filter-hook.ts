import type { Logger } from 'pino'
import type { LogMethodHook } from '../safety/guard.ts'
import { filterChanged, refreshFilter, type FilterBinding } from './thread-filter.ts'

/**
 * Whether an enabled log call passes the filter. pino calls a logger's hook for enabled levels
 * only, so a call the directives filter out by level never gets here. This picks up a setFilter
 * made while this thread was too busy to hear of it, and drops a record below its context's
 * threshold (`ctx.` terms) before anything (the caller lookup, serialization) is spent on it.
 */
export function passesFilter (logger: Logger, level: number, binding: FilterBinding): boolean {
  if (filterChanged()) {
    refreshFilter()
    if (level < logger.levelVal) return false
  }
  const contextThreshold = binding.contextThreshold
  return contextThreshold === undefined || level >= contextThreshold(logger)
}

/** {@link passesFilter} as the outermost hook, in front of the caller lookup. */
export function createFilterHook (inner: LogMethodHook, binding: FilterBinding): LogMethodHook {
  return function filterLogCall (args, method, level) {
    if (passesFilter(this, level, binding)) inner.call(this, args, method, level)
  }
}
