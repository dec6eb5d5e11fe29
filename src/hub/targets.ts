import { fstatSync, fsyncSync, writeSync } from 'node:fs'
import { Socket } from 'node:net'
import pino from 'pino'
import type { ProcessInfo } from '../context/process-info.ts'
import type { HubRecordSettings } from './hub-records.ts'
import type { RecordBatch } from '../ring/record-batch.ts'
import { openBlockingDescriptor } from './blocking-fd.ts'
import { openRelay, type ProcessCounts } from './relay-target.ts'
import type { StalledTarget } from './count-reply.ts'
import type { TargetStats } from './stats.ts'
import { reportTargetFailure } from './target-report.ts'
import type { ResolvedTarget } from './target-spec.ts'
import { openTransport } from './transport-target.ts'

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
  readonly reportProcess?: () => ProcessCounts
}

/** A path as it is; a descriptor made blocking where that is possible (see blocking-fd.ts). */
function writableDestination (destination: unknown): number | string {
  return typeof destination === 'number' ? openBlockingDescriptor(destination) : destination as string
}

function openSocket (spec: ResolvedTarget, fd: number): OpenTarget {
  // A socket (stdout of a process spawned by Node, by systemd…) cannot be reopened blocking (see
  // blocking-fd.ts), and a synchronous writer sleeps 100 ms on each EAGAIN: write it the evented
  // way instead. It is never ended, since it is the process's own stdout.
  const socket = new Socket({ fd, readable: false, writable: true })
  const target: OpenTarget = {
    name: spec.name,
    minLevel: spec.minLevel,
    failed: false,
    // Resolves once the socket has handed the bytes to the kernel: only then may the batch be
    // refilled, and a flush (or a child's SYNC) answered after it mean written.
    write: async (batch) => {
      await new Promise((resolve) => socket.write(batch.bytes(), resolve))
    },
    close: async () => {}
  }
  socket.on('error', (error: Error) => reportTargetFailure(target, error))
  return target
}

function openSyncFile (spec: ResolvedTarget, destination: unknown): OpenTarget {
  if (typeof destination === 'number' && isSocket(destination)) return openSocket(spec, destination)
  // The hub is a thread of its own: writing synchronously blocks nobody who logs, and what was
  // written is on its way to the OS when the process exits.
  const dest = writableDestination(destination)
  // Bytes as the rings hold them: synchronous, so the batch is written before write() returns.
  const stream = pino.destination({ dest, sync: true, mkdir: true, append: true, contentMode: 'buffer' })
  // In 'buffer' content mode sonic-boom writes bytes; its types only know its 'utf8' mode.
  const writeBytes = stream.write.bind(stream) as unknown as (bytes: Buffer) => boolean
  const target: OpenTarget = {
    name: spec.name,
    minLevel: spec.minLevel,
    failed: false,
    write: (batch) => { writeBytes(batch.bytes()) },
    // A failed stream may still hold part of a batch that has been refilled since: nothing to flush.
    close: async () => {
      if (target.failed) return
      stream.flushSync()
      // On disk when the process is gone (sonic-boom's flushSync does this in its 'utf8' mode only).
      try {
        fsyncSync((stream as unknown as { fd: number }).fd) // sonic-boom's types leave out its fd
      } catch {
        // A pipe or a terminal cannot be synced: nothing was lost.
      }
    }
  }
  if (spec.options.reopenOnSighup === true) target.reopen = () => { if (!target.failed) stream.reopen() }
  stream.on('error', (error: Error) => reportTargetFailure(target, error))
  return target
}

/**
 * Loaded only by a hub that has a pretty target: the formatter and chalk are most of what a hub
 * imports, and a relaying child's hub, or one writing NDJSON, never needs them.
 */
async function openPretty (spec: ResolvedTarget, hints: TerminalHints): Promise<OpenTarget> {
  const { createPrettySink } = await import(import.meta.url.endsWith('.ts') ? '../format/pretty-sink.ts' : '../format/pretty-sink.js') as
    typeof import('../format/pretty-sink.ts')
  const destination = spec.options.destination ?? 1
  const isTTY = destination === 1 ? hints.stdoutIsTTY : destination === 2 ? hints.stderrIsTTY : false
  const dest = writableDestination(destination)
  const sink = createPrettySink({ ...spec.options, destination: dest, isTTY })
  return {
    name: spec.name,
    minLevel: spec.minLevel,
    failed: false,
    write: (batch) => { for (const line of batch.lines()) sink.write(line) },
    close: async () => {}
  }
}

function isSocket (fd: number): boolean {
  try {
    return fstatSync(fd).isSocket()
  } catch {
    return false
  }
}

/** Opens every configured target; one that fails to open is reported and left out. */
export async function openTargets (specs: readonly ResolvedTarget[], context: TargetContext): Promise<OpenTarget[]> {
  const opened = await Promise.all(specs.map(async (spec) => {
    try {
      if (spec.module === 'relay') {
        return await openRelay(spec.options.path as string, context.identity, () => openSyncFile(spec, 2), context.reportProcess)
      }
      if (spec.module === 'pretty') return await openPretty(spec, context)
      if (spec.module === 'ndjson') return openSyncFile(spec, spec.options.destination ?? 1)
      if (spec.module === 'file') return openSyncFile(spec, spec.options.path)
      return await openTransport(spec, context.records)
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error)
      writeSync(2, `threadlog: target "${spec.name}" could not be opened: ${reason}\n`)
      return undefined
    }
  }))
  return opened.filter((target) => target !== undefined)
}

/** Records each target has accepted, for {@link describeTargets}. */
const accepted = new WeakMap<OpenTarget, number>()
/** Records in each target's writes that have not finished, for {@link describeStalledTargets}. */
const unfinished = new WeakMap<OpenTarget, number>()
/** Targets whose close (the exit path's last word) has not finished. */
const closing = new WeakSet<OpenTarget>()

/**
 * The targets holding up the hub when a flush times out: those with a write that has not finished
 * (with its records), then those whose close has not (0 records). A failed target holds up nothing.
 */
export function describeStalledTargets (targets: readonly OpenTarget[]): StalledTarget[] {
  const live = targets.filter((target) => !target.failed)
  return [
    ...live.filter((target) => (unfinished.get(target) ?? 0) > 0).map((target) => ({ name: target.name, records: unfinished.get(target) ?? 0 })),
    ...live.filter((target) => closing.has(target) && (unfinished.get(target) ?? 0) === 0).map((target) => ({ name: target.name, records: 0 }))
  ]
}

/** Ends one target (the exit path), knowing how the process ends; counted as closing until it has. */
export async function closeTarget (target: OpenTarget, status?: ExitStatus): Promise<void> {
  closing.add(target)
  try {
    await target.close(status)
  } finally {
    closing.delete(target)
  }
}

/** Records each failed target would have received after it failed, for {@link reportMissed}. */
const missed = new WeakMap<OpenTarget, number>()

/** At exit: says once per failed target how many records it missed after its failure was reported. */
export function reportMissed (targets: readonly OpenTarget[]): void {
  for (const target of targets) {
    const count = missed.get(target) ?? 0
    if (count > 0) writeSync(2, `threadlog: target "${target.name}" missed ${count} records after it failed\n`)
  }
}

/** Each target's name, accepted records and whether it failed. */
export function describeTargets (targets: readonly OpenTarget[]): TargetStats[] {
  return targets.map((target) => ({ name: target.name, written: accepted.get(target) ?? 0, failed: target.failed }))
}

/** Hands a batch to every live target, each filtered by its level; a throwing target is isolated. */
export async function writeToTargets (targets: readonly OpenTarget[], batch: RecordBatch): Promise<void> {
  await Promise.all(targets.map(async (target) => {
    const records = target.minLevel === 0 ? batch : batch.atLeast(target.minLevel)
    if (records.count === 0) return
    if (target.failed) {
      missed.set(target, (missed.get(target) ?? 0) + records.count)
      return
    }
    const { count } = records
    unfinished.set(target, (unfinished.get(target) ?? 0) + count)
    try {
      await target.write(records)
      // A synchronous file reports a failed write through its 'error' event, during write(): not accepted.
      if (!target.failed) accepted.set(target, (accepted.get(target) ?? 0) + count)
    } catch (error) {
      reportTargetFailure(target, error)
    } finally {
      unfinished.set(target, (unfinished.get(target) ?? 0) - count)
    }
  }))
}
