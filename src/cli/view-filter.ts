import type { ViewRecord } from '../view/view-record.ts'
import type { Criteria } from '../select/criteria.ts'
import { compileRecordTest } from '../select/record-test.ts'

/** Whether a record goes into the view: tested on the record as read, and as the view reads it. */
export type ViewRecordFilter = (record: Record<string, unknown>, view: ViewRecord) => boolean

/** The filter of `threadlog view`'s input, from the CLI's own selecting options. */
export interface ViewFilter {
  readonly test: ViewRecordFilter
  /**
   * Whether the options pick records by what they say (`--where`, `--grep`): then a lane that would
   * hold nothing but lifecycle records is left out, so `--where reqId=7f3a` leaves the request's lanes.
   */
  readonly picksContent: boolean
}

/**
 * The CLI's predicate (src/select/criteria.ts, src/select/record-test.ts), applied to the view's input. A
 * lifecycle record is tested as the lane it is drawn in (the thread or process it describes, not
 * the hub that wrote it), on identity and time only: lifecycle records are written at debug, and
 * without that `--level info` or `--where` would lose every lifetime bar.
 */
export function createViewFilter (criteria: Criteria): ViewFilter {
  const full = compileRecordTest(criteria)
  const identityAndTime = compileRecordTest({ ...criteria, minLevel: undefined, where: [], grep: undefined, directives: undefined })
  return {
    test: (record, view) => {
      if (view.lifecycle === undefined) return full(record)
      const { pid, tid, thread, proc } = view.source
      return identityAndTime({ ...record, pid, tid, thread, proc })
    },
    picksContent: criteria.where.length > 0 || criteria.grep !== undefined
  }
}
