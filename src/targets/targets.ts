// The hub's targets as one layer: opens each by its kind, hands every batch to each (filtered by
// its level, a failing one isolated), and keeps the counts that stats(), a timed-out flush and the
// exit report read.
import { writeSync } from 'node:fs'
import type { InlineCounts } from '../hub/inline-hub.ts'
import type { RecordBatch } from '../ring/record-batch.ts'
import type { StalledTarget } from '../hub/count-reply.ts'
import type { TargetStats } from '../hub/stats.ts'
import { openPretty, openSyncFile } from './builtin-targets.ts'
import type { ExitStatus, OpenTarget, TargetContext } from './open-target.ts'
import { openRelay } from './relay-target.ts'
import { reportTargetFailure } from './target-report.ts'
import type { ResolvedTarget } from './target-spec.ts'
import { openTransport } from './transport-target.ts'

/** Opens one target by its kind. */
async function openTarget (spec: ResolvedTarget, context: TargetContext): Promise<OpenTarget> {
  switch (spec.kind) {
    case 'pretty': return await openPretty(spec, context)
    case 'ndjson': return openSyncFile(spec, spec.options.destination ?? 1)
    case 'file': return openSyncFile(spec, spec.options.path)
    case 'transport': return await openTransport(spec, context.records)
    // Until the root answers, and after it is gone, the child's records go to its own stderr.
    case 'relay': return await openRelay(spec.path, context.identity, () => openSyncFile(spec, 2), context.reportProcess)
  }
}

/** Opens every configured target; one that fails to open is reported and left out. */
export async function openTargets (specs: readonly ResolvedTarget[], context: TargetContext): Promise<OpenTarget[]> {
  const opened = await Promise.all(specs.map(async (spec) => {
    try {
      return await openTarget(spec, context)
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

/** The one target goes on from what the main thread wrote to it before the hub started (inline-hub.ts). */
export function continueInlineCounts (targets: readonly OpenTarget[], counts: InlineCounts | undefined): void {
  const [target] = targets
  if (target === undefined || counts === undefined) return
  accepted.set(target, counts.accepted)
  missed.set(target, counts.missed)
  // Already reported by the main thread; a failed target stays failed.
  if (counts.failed) target.failed = true
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
  return targets.map((target) => ({ name: target.name, written: target.taken?.() ?? accepted.get(target) ?? 0, failed: target.failed }))
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
