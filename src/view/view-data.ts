import { layOutLanes, sourceKey, type Lane, type ProcessRow } from './lanes.ts'
import type { ViewRecord } from './view-record.ts'

/**
 * What the page receives: records in columns, strings and field sets in tables. A log repeats the
 * same identity, messages and often the same fields on every line; columns name each once, which
 * keeps the page well under the size of the NDJSON it was made from.
 *
 * Record `i` is at time `t0 + dt[0] + … + dt[i]` (records are sorted by time), on lane `lane[i]`,
 * at `level[i]`, says `messages[msg[i]]` and carries `fields[field[i]]`.
 */
export interface ViewData {
  readonly version: 1
  /** What the page's title says (the input files). */
  readonly title: string
  /** Epoch milliseconds of the first record. */
  readonly t0: number
  readonly processes: readonly ProcessRow[]
  readonly lanes: readonly Lane[]
  readonly messages: readonly string[]
  readonly fields: ReadonlyArray<Record<string, unknown>>
  readonly dt: readonly number[]
  readonly level: readonly number[]
  readonly lane: readonly number[]
  readonly msg: readonly number[]
  readonly field: readonly number[]
  /** Fields a click on a record links by, in order of preference: the first one the record has. */
  readonly linkKeys: readonly string[]
}

/** Gives each distinct value one index, in order of first use. */
class InternTable<T> {
  readonly values: T[] = []
  readonly #index = new Map<string, number>()

  indexOf (key: string, value: T): number {
    let index = this.#index.get(key)
    if (index === undefined) {
      index = this.values.length
      this.#index.set(key, index)
      this.values.push(value)
    }
    return index
  }
}

/** Sorts by time, keeping each source's order for equal times (Array.prototype.sort is stable). */
export function sortByTime (records: ViewRecord[]): ViewRecord[] {
  return records.sort((a, b) => a.time - b.time)
}

/** Lays out and encodes time-sorted records for the page. */
export function encodeViewData (records: readonly ViewRecord[], title: string, linkKeys: readonly string[]): ViewData {
  const { processes, lanes, laneIndex } = layOutLanes(records)
  const messages = new InternTable<string>()
  const fields = new InternTable<Record<string, unknown>>()
  const [dt, level, lane, msg, field]: [number[], number[], number[], number[], number[]] = [[], [], [], [], []]
  const t0 = records[0]?.time ?? 0
  let previous = t0
  for (const record of records) {
    dt.push(record.time - previous)
    previous = record.time
    level.push(record.level)
    lane.push(laneIndex.get(sourceKey(record.source)) as number)
    msg.push(messages.indexOf(record.msg, record.msg))
    field.push(fields.indexOf(JSON.stringify(record.fields), record.fields))
  }
  return { version: 1, title, t0, processes, lanes, messages: messages.values, fields: fields.values, dt, level, lane, msg, field, linkKeys }
}

const SCRIPT_UNSAFE = /[<\u2028\u2029]/g

/**
 * The data as JSON that can sit inside `<script type="application/json">`: every `<` is written
 * `\u003c`, so no record can close the element (`</script>`) or open a comment (`<!--`); U+2028
 * and U+2029 are escaped too, for any tool that reads the block as script. JSON.parse reads the
 * same values back.
 */
export function encodeForScriptElement (data: ViewData): string {
  return JSON.stringify(data).replace(SCRIPT_UNSAFE, (char) => '\\u' + char.charCodeAt(0).toString(16).padStart(4, '0'))
}
