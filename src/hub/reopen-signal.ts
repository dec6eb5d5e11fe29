// logrotate without `copytruncate` renames the file and sends SIGHUP: a file target with
// `reopenOnSighup` then opens its path anew. Signals reach only the main thread (a worker's
// `process.on('SIGHUP')` hears nothing), so the main thread counts them in the control block and the
// hub, between taking a batch and writing it, reopens.
import { ControlSlot, controlBlock, ringDoorbell } from './control.ts'
import type { ResolvedTarget } from '../targets/target-spec.ts'

let listening = false

/** Whether any of `targets` asks to be reopened on SIGHUP. */
export function wantsReopen (targets: readonly ResolvedTarget[]): boolean {
  return targets.some((target) => target.kind === 'file' && target.options.reopenOnSighup === true)
}

/**
 * Main thread: listens for SIGHUP once, when a configured target reopens on it. A listener changes
 * what SIGHUP does to the process (Node's default is to end it), which is why this is opt-in.
 */
export function listenForReopen (targets: readonly ResolvedTarget[]): void {
  const control = controlBlock()
  if (listening || control === undefined || !wantsReopen(targets)) return
  listening = true
  const block = control
  process.on('SIGHUP', () => {
    Atomics.add(block, ControlSlot.REOPEN_REQUEST, 1)
    // The hub may sleep with nothing to write: the new file should exist at once all the same.
    ringDoorbell(block, true)
  })
}

/** Hub side: returns true once per change of the request counter since the last call. */
export function createReopenWatch (block: Int32Array): () => boolean {
  let seen = Atomics.load(block, ControlSlot.REOPEN_REQUEST)
  return () => {
    const now = Atomics.load(block, ControlSlot.REOPEN_REQUEST)
    if (now === seen) return false
    seen = now
    return true
  }
}
