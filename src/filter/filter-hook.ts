import type { LogMethodHook } from '../safety/guard.ts'
import { filterChanged, refreshFilter, type FilterBinding } from './thread-filter.ts'

/**
 * The outermost `hooks.logMethod` of a logger: pino calls it for enabled levels only, so a call the
 * directives filter out by level never gets here. It picks up a setFilter made while this thread was
 * too busy to hear of it, and drops a record below its context's threshold (`ctx.` terms) before
 * anything (the caller lookup, serialization) is spent on it.
 */
export function createFilterHook (inner: LogMethodHook, binding: FilterBinding): LogMethodHook {
  return function filterLogCall (args, method, level) {
    if (filterChanged()) {
      refreshFilter()
      if (level < this.levelVal) return
    }
    const contextThreshold = binding.contextThreshold
    if (contextThreshold !== undefined && level < contextThreshold(this)) return
    inner.call(this, args, method, level)
  }
}
