import { writeSync } from 'node:fs'
import type { ExitStatus, OpenTarget } from './open-target.ts'
import { closeTarget } from './targets.ts'

/**
 * The exit flush's last step: closes every target, giving them until a little before the main
 * thread stops waiting (`leftMs` from now, the deadline it stored in the control block). A target
 * still closing then says what it had, once, and the exit goes on without it. The margin leaves the
 * hub time to say so before the main thread's own timeout, on a busy machine too.
 */
export async function closeTargetsWithin (targets: readonly OpenTarget[], status: ExitStatus, leftMs: number,
  timeoutMs: number): Promise<void> {
  const open = new Set(targets)
  const closing = Promise.all(targets.map(async (target) => {
    await closeTarget(target, status)
    open.delete(target)
  }))
  const margin = Math.min(1000, timeoutMs / 4)
  let timer: NodeJS.Timeout | undefined
  const timeUp = new Promise<void>((resolve) => { timer = setTimeout(resolve, Math.max(0, leftMs - margin)) })
  await Promise.race([closing, timeUp])
  clearTimeout(timer)
  for (const target of open) {
    if (target.unfinished !== undefined) target.unfinished(timeoutMs)
    else writeSync(2, `threadlog: target "${target.name}" could not finish within the exit flush (flushTimeoutMs ${timeoutMs})\n`)
  }
}
