// What the hub says on stderr about a target: once when it fails, once per burst of records it
// had to leave out, once at exit for what it could not finish. Never once per record: a dead log
// server must not flood the application's stderr.
import { writeSync } from '../node-fs.ts'

/** The part of a target these reports read and mark. */
export interface ReportedTarget {
  readonly name: string
  failed: boolean
}

/** How long a burst of dropped records is summed before it is reported. */
const BURST_MS = 1000

function reasonOf (error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/**
 * Reports a target's failure once on stderr, with what it still held (records it was given but
 * had not taken, when it queues them); the target gets no more records, the others go on.
 */
export function reportTargetFailure (target: ReportedTarget, error: unknown, undelivered = 0): void {
  if (target.failed) return
  target.failed = true
  const held = undelivered > 0 ? `; ${undelivered} records queued for it are lost` : ''
  writeSync(2, `threadlog: target "${target.name}" failed and receives no more records: ${reasonOf(error)}${held}\n`)
}

/**
 * Counts records a target had to leave out, and reports them once per burst: the first drop starts
 * a one-second window, whose sum is written when it ends (or at `flush()`, on exit). `why` completes
 * `target "x" dropped N records: …`.
 */
export function createDropReporter (name: string, why: string): { drop: (count: number) => void, flush: () => void } {
  let pending = 0
  let timer: NodeJS.Timeout | undefined
  const flush = () => {
    if (timer !== undefined) clearTimeout(timer)
    timer = undefined
    if (pending === 0) return
    writeSync(2, `threadlog: target "${name}" dropped ${pending} records: ${why}\n`)
    pending = 0
  }
  return {
    drop: (count) => {
      pending += count
      // Unref'd: a pending report must not keep the process alive (the exit path flushes it).
      timer ??= setTimeout(flush, BURST_MS).unref()
    },
    flush
  }
}

/**
 * At exit: a target that had not finished when its time was up. `queued`: records it never took,
 * lost; `taken`: records its stream took since it opened, whose delivery it never confirmed (a
 * stream says nothing of what reached its server before it closes).
 */
export function reportUnfinished (name: string, timeoutMs: number, queued: number, taken: number): void {
  const lost = queued > 0 ? `${queued} records queued for it are lost; ` : ''
  writeSync(2, `threadlog: target "${name}" could not finish within the exit flush (flushTimeoutMs ${timeoutMs}): ${lost}` +
    `it had taken ${taken} records and not confirmed their delivery\n`)
}
