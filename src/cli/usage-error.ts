import { rethrowAs } from '../library-error.ts'
import { SelectionError } from '../select/criteria.ts'

/** A mistake on the command line: printed after `threadlog: `, with exit code 2. */
export class UsageError extends Error {}

/** Runs `parse`; a selecting option it cannot understand is a mistake on the command line. */
export function asUsageError<T> (parse: () => T): T {
  return rethrowAs(parse, SelectionError, (message) => new UsageError(message))
}
