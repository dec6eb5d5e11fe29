// Which of a cycle's records the hub sends an attach client that selects (`--thread w1`, `--level`
// …): only those it may select, so that watching one thread of a busy tree moves that thread's
// records. A run of the merge holds one thread's records, and the hub knows that thread: it decides
// `--thread`, `--pid` and `--proc` for the whole run, without reading a record, and the client
// tests its other options. Records whose thread the hub does not know (relayed by a child process,
// the hub's own) are sent when their bytes may pass, and the client decides them exactly.
import { SelectionError, hasCriteria, parseCriteria, withoutIdentity, type Criteria, type CriteriaText } from '../select/criteria.ts'
import { rethrowAs } from '../library-error.ts'
import type { Glob } from '../filter/glob.ts'
import { compilePrefilter, type Prefilter } from '../select/prefilter.ts'
import type { RunOrigin, Segments } from '../hub/time-merge.ts'
import type { RecordBatch } from '../ring/record-batch.ts'
import { FrameError, FrameType, type AttachRequest } from '../tree/frames.ts'

/** What a run's origin says of its records: none is selected; the thread is; only their fields can tell. */
const NONE = 0
const BY_SOURCE = 1
const BY_FIELDS = 2
type Verdict = typeof NONE | typeof BY_SOURCE | typeof BY_FIELDS

/** The process the hub runs in: every ring's records are of its pid. */
export interface HubProcess {
  readonly pid: number
}

/**
 * What {@link Selection.select} kept of a batch: ranges of its records, `[starts[i], ends[i])`, each
 * to be sent in frames of `types[i]` (RECORDS or SELECTED). Adjacent ranges of one type are one.
 */
export interface Kept {
  readonly starts: readonly number[]
  readonly ends: readonly number[]
  readonly types: readonly FrameType[]
}

/** A client's selecting options, compiled for the hub. */
export class Selection {
  readonly #criteria: Criteria
  /** The byte tests of every option, for records decided by their fields. */
  readonly #byFields: Prefilter | undefined
  /** Those of the options a thread's ring does not decide (`--level`, `--since`…), for records selected by their ring. */
  readonly #bySource: Prefilter | undefined
  readonly #process: HubProcess
  /** Verdicts by origin: an origin object lives as long as its thread's ring, and changes when its name does. */
  readonly #verdicts = new WeakMap<RunOrigin, Verdict>()
  /** Reused every cycle: the ranges are copied into frames before the next one. */
  readonly #kept = { starts: [] as number[], ends: [] as number[], types: [] as FrameType[] }

  constructor (criteria: Criteria, process: HubProcess) {
    this.#criteria = criteria
    this.#byFields = compilePrefilter(criteria)
    this.#bySource = compilePrefilter(withoutIdentity(criteria))
    this.#process = process
  }

  #verdictOf (origin: RunOrigin | undefined): Verdict {
    if (origin === undefined) return BY_FIELDS
    let verdict = this.#verdicts.get(origin)
    if (verdict === undefined) {
      const { tid, thread, pid, proc } = this.#criteria
      const names: Array<[Glob | undefined, string | undefined]> = [[thread, origin.thread], [proc, origin.proc]]
      if ((tid !== undefined && tid !== origin.tid) || (pid !== undefined && pid !== this.#process.pid)) verdict = NONE
      else if (names.some(([glob, name]) => glob !== undefined && name === undefined)) verdict = BY_FIELDS
      else verdict = names.every(([glob, name]) => glob === undefined || glob.test(name as string)) ? BY_SOURCE : NONE
      this.#verdicts.set(origin, verdict)
    }
    return verdict
  }

  /** The records of `batch` the client may select, in ranges by frame type; valid until the next call. */
  select (batch: RecordBatch, segments: Segments): Kept {
    const kept = this.#kept
    kept.starts.length = 0
    kept.ends.length = 0
    kept.types.length = 0
    let from = 0
    for (let segment = 0; segment < segments.count; segment++) {
      const to = segments.endOf(segment)
      if (from === to) continue
      const verdict = this.#verdictOf(segments.originOf(segment))
      if (verdict === BY_SOURCE) this.#keep(batch, from, to, this.#bySource, FrameType.SELECTED)
      else if (verdict === BY_FIELDS) this.#keep(batch, from, to, this.#byFields, FrameType.RECORDS)
      from = to
    }
    return kept
  }

  /** Keeps the records of `[from, to)` the byte tests may pass, to be sent as `type`. */
  #keep (batch: RecordBatch, from: number, to: number, prefilter: Prefilter | undefined, type: FrameType): void {
    if (prefilter === undefined) return this.#keepRange(from, to, type)
    const base = batch.startOf(from)
    const bytes = batch.bytes(from, to)
    // Offsets within the stretch: the byte tests read a latin1 view of the same bytes.
    const text = bytes.toString('latin1')
    let run = -1
    for (let index = from; index < to; index++) {
      const passes = prefilter.mayPass(bytes, text, batch.startOf(index) - base, batch.endOf(index) - 1 - base)
      if (passes && run === -1) run = index
      if (!passes && run !== -1) {
        this.#keepRange(run, index, type)
        run = -1
      }
    }
    if (run !== -1) this.#keepRange(run, to, type)
  }

  #keepRange (from: number, to: number, type: FrameType): void {
    const { starts, ends, types } = this.#kept
    const last = ends.length - 1
    if (last >= 0 && ends[last] === from && types[last] === type) ends[last] = to
    else {
      starts.push(from)
      ends.push(to)
      types.push(type)
    }
  }
}

/**
 * A client's selecting options compiled, or undefined when it gives none (it gets every record).
 * Options the CLI could not parse never reach here; anything else is a broken client.
 */
export function compileSelection (select: AttachRequest['select'], process: HubProcess): Selection | undefined {
  if (select === undefined) return undefined
  const criteria = rethrowAs(() => parseCriteria({ ...select, where: [], grep: undefined } as CriteriaText, Date.now()),
    SelectionError, (message) => new FrameError(`ATTACH selection: ${message}`))
  return hasCriteria(criteria) ? new Selection(criteria, process) : undefined
}
