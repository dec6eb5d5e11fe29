// What the hub holds of a target once it is open, whatever its kind: the one interface the drain
// loop writes to, so that built-ins, transport modules and the relay never need each other.
import type { ProcessInfo } from '../context/process-info.ts'
import type { HubRecordSettings } from '../hub/hub-records.ts'
import type { RecordBatch } from '../ring/record-batch.ts'
import type { ProcessReport } from '../tree/frames.ts'

/** A target opened inside the hub. Its failures are reported, never thrown at the hub. */
export interface OpenTarget {
  readonly name: string
  readonly minLevel: number
  /**
   * Writes a batch of records; resolves when the target can take more. The batch is reused once
   * this resolves: bytes kept longer must be copied.
   */
  write: (batch: RecordBatch) => void | Promise<void>
  /**
   * Resolves once what was written has gone as far as the target can tell (the root hub's relay:
   * written by the root's targets). Absent where `write` resolving already means that.
   */
  flush?: () => Promise<void>
  /** Opens the target's file anew (after logrotate renamed it); only targets asked to do so have it. */
  reopen?: () => void
  /** Ends the target and waits until it has written everything (exit path), knowing how the process ends. */
  close: (status?: ExitStatus) => Promise<void>
  /** The exit flush's time is up and `close` has not finished: says on stderr what the target still had. */
  unfinished?: (timeoutMs: number) => void
  /**
   * Records the target has handed on, for a target that queues what `write` gives it: records
   * still in its queue are not written yet, and are lost if it fails. Absent where a resolved
   * `write` means written.
   */
  taken?: () => number
  failed: boolean
}

/** How the process is ending, when it ends: `exitCode` from `process.exit`/`exit`, or the signal that ends it. */
export interface ExitStatus {
  readonly exitCode?: number
  readonly signal?: string
}

export interface TerminalHints {
  readonly stdoutIsTTY: boolean
  readonly stderrIsTTY: boolean
}

/** What the hub knows that targets may need. */
export interface TargetContext extends TerminalHints {
  /** The process's identity: a relay introduces this process to the root hub with it. */
  readonly identity: ProcessInfo
  /** The configuring logger's settings: pino's config for transports that ask for it. */
  readonly records: HubRecordSettings
  /** This process's own counts, which a relay tells the root when `threadlog ps` asks. */
  readonly reportProcess?: () => Omit<ProcessReport, 'id'>
}
