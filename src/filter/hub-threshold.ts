import { parseDirectives, type Directives, type FilterSubject } from './directives.ts'
import { filterBlock, filterGeneration, readFilterText } from './filter-block.ts'

/**
 * The threshold of the hub's own records (thread `threadlog-hub`): the directives apply to them as
 * to any thread's, so that `THREADLOG=debug` shows the lifecycle records and
 * `thread:threadlog-hub=warn` hides them. The hub's records are few, so the filter block's
 * generation is looked at on each of them rather than listened for.
 *
 * @param subject the hub thread's identity.
 * @returns the threshold, given the configuring logger's level and `filter` option.
 */
export function createHubThreshold (subject: Omit<FilterSubject, 'context'>): (level: number, filter: string | undefined) => number {
  let cachedKey = ''
  let cached = 0
  let environment: Directives | undefined
  try {
    const text = process.env.THREADLOG
    // Validated by the first createLogger, before any hub starts.
    environment = text === undefined || text.trim() === '' ? undefined : parseDirectives(text, 'environment variable THREADLOG')
  } catch {
    environment = undefined
  }
  return (level, filter) => {
    const block = filterBlock()
    const generation = block === undefined ? 0 : filterGeneration(block)
    const key = `${generation}\n${level}\n${filter ?? ''}`
    if (key === cachedKey) return cached
    const runtime = block === undefined || generation === 0 ? undefined : readFilterText(block)
    let directives: Directives | undefined
    try {
      directives = runtime !== undefined ? parseDirectives(runtime.text) : environment ?? (filter === undefined ? undefined : parseDirectives(filter))
    } catch {
      directives = undefined
    }
    cachedKey = key
    cached = directives === undefined ? level : directives.levelFor(subject, level)
    return cached
  }
}
