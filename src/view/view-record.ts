import { HUB_THREAD_NAME } from '../hub/hub-records.ts'
import { levelOfLabel } from '../levels.ts'

/** The keys that say where a record came from: they go to the lane, not to each record's fields. */
export const IDENTITY_KEYS: ReadonlySet<string> = new Set(['level', 'time', 'pid', 'ppid', 'hostname', 'proc', 'tid', 'thread', 'worker', 'msg'])

/** One thread of one process: a lane of the view. */
export interface SourceIdentity {
  readonly pid: number
  readonly ppid: number | undefined
  readonly proc: string
  readonly hostname: string | undefined
  readonly tid: number
  readonly thread: string
}

/** What a lifecycle record of the hub says about a thread or a process. */
export type LifecycleEvent =
  | { readonly kind: 'thread-start' | 'thread-exit' | 'process-start' | 'process-exit', readonly exit?: string }

/** A record as the view draws it. */
export interface ViewRecord {
  /** Epoch milliseconds. */
  readonly time: number
  /** pino's numeric level (a label is read through src/levels.ts). */
  readonly level: number
  readonly msg: string
  /**
   * The lane the record is drawn in: its own thread, or for a lifecycle record the thread or
   * process it describes (the hub's lane would otherwise hold every thread's start and end).
   */
  readonly source: SourceIdentity
  /** Every key that is not identity, level, time or message: what hovering shows besides them. */
  readonly fields: Record<string, unknown>
  readonly lifecycle: LifecycleEvent | undefined
}

const asNumber = (value: unknown): number | undefined => typeof value === 'number' && Number.isFinite(value) ? value : undefined
const asString = (value: unknown): string | undefined => typeof value === 'string' ? value : undefined

function readTime (value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined
  if (typeof value !== 'string') return undefined
  const parsed = Date.parse(value) // pino's `timestamp: isoTime`
  return Number.isNaN(parsed) ? undefined : parsed
}

function readLevel (value: unknown): number {
  if (typeof value === 'number') return value
  return (typeof value === 'string' ? levelOfLabel(value) : undefined) ?? 30
}

/** Records without threadlog's identity (plain pino) still get a lane: defaults like threadlog's own. */
function readSource (record: Record<string, unknown>): SourceIdentity {
  const tid = asNumber(record.tid) ?? 0
  return {
    pid: asNumber(record.pid) ?? 0,
    ppid: asNumber(record.ppid),
    proc: asString(record.proc) ?? asString(record.name) ?? 'process',
    hostname: asString(record.hostname),
    tid,
    thread: asString(record.thread) ?? (tid === 0 ? 'main' : `worker-${tid}`)
  }
}

function describeExit (record: Record<string, unknown>): string | undefined {
  if (record.signal !== undefined) return `signal ${String(record.signal)}`
  // A worker the application terminated exits with 1 although nothing went wrong.
  if (record.terminated === true) return 'terminated'
  return record.exitCode === undefined ? undefined : `exit code ${String(record.exitCode)}`
}

/**
 * The hub's lifecycle records (src/hub/hub-worker.ts: `thread started`/`thread exited` with
 * `threadId`, `threadName`, `exitCode`, `terminated`; src/tree/socket-server.ts: `process connected`/`process exited`
 * with `processId`, `processName`, `parentProcessId`, `exitCode` or `signal`), read back: the event
 * and the lane it belongs to. Anything else, even from the hub, is an ordinary record.
 */
function readLifecycle (record: Record<string, unknown>, msg: string, own: SourceIdentity): [LifecycleEvent, SourceIdentity] | undefined {
  if (record.thread !== HUB_THREAD_NAME) return undefined
  const exit = describeExit(record)
  const withExit = exit === undefined ? {} : { exit }
  if (msg === 'thread started' || msg === 'thread exited') {
    const tid = asNumber(record.threadId)
    if (tid === undefined) return undefined
    const thread = asString(record.threadName) ?? (tid === 0 ? 'main' : `worker-${tid}`)
    return [{ kind: msg === 'thread started' ? 'thread-start' : 'thread-exit', ...withExit }, { ...own, tid, thread }]
  }
  if (msg === 'process connected' || msg === 'process exited') {
    const pid = asNumber(record.processId)
    if (pid === undefined) return undefined
    // A process's own events are drawn on its main thread's lane, which every process has.
    const described = { pid, ppid: asNumber(record.parentProcessId) ?? own.pid, proc: asString(record.processName) ?? own.proc, hostname: own.hostname, tid: 0, thread: 'main' }
    return [{ kind: msg === 'process connected' ? 'process-start' : 'process-exit', ...withExit }, described]
  }
  return undefined
}

/** A parsed NDJSON object as the view draws it; `undefined` when it has no time to place it at. */
export function readViewRecord (record: Record<string, unknown>): ViewRecord | undefined {
  const time = readTime(record.time)
  if (time === undefined) return undefined
  const msg = asString(record.msg) ?? asString(record.message) ?? ''
  const own = readSource(record)
  const lifecycle = readLifecycle(record, msg, own)
  const fields: Record<string, unknown> = {}
  for (const key of Object.keys(record)) {
    if (!IDENTITY_KEYS.has(key)) fields[key] = record[key]
  }
  if (record.msg === undefined) delete fields.message // it was the message
  // A lifecycle record drawn in another lane still says, when hovered, which thread wrote it.
  if (lifecycle !== undefined) Object.assign(fields, { pid: own.pid, tid: own.tid, thread: own.thread })
  return { time, level: readLevel(record.level), msg, source: lifecycle?.[1] ?? own, fields, lifecycle: lifecycle?.[0] }
}
