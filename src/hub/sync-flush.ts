// The synchronous flush between a blocked main thread and the hub, both ends in one place. The exit
// paths cannot await (process.exit, an uncaught exception), so they ask through the control block:
//
//   main thread                                   hub thread
//   FLUSH_IS_FINAL, FLUSH_DEADLINE/TIMEOUT_MS,
//   EXIT_KIND/VALUE (final only)
//   FLUSH_REQUEST += 1, ring the doorbell  ───►   pendingSyncFlush(): request ≠ FLUSH_DONE
//   Atomics.wait(FLUSH_DONE) until the            drains, flushes (final: closes the targets
//   deadline, or until HUB_STATE says gone  ◄───  within the deadline), FLUSH_DONE = request, notify
//
// flushAll() and stats() are asynchronous and go through the hub's port or channel instead.
import { constants } from 'node:os'
import type { ExitStatus } from '../targets/open-target.ts'
import { ControlSlot, ExitKind, ringDoorbell } from './control.ts'
import { hubStateOf } from './control-plane.ts'

/** Milliseconds fit an Int32 slot modulo 2³¹; a deadline is never more than 2³⁰ ms (12 days) away. */
const TIME_MODULUS = 2 ** 31

/** Hands the hub how the process ends, for a relay to tell the root hub. */
function storeExitStatus (block: Int32Array, status: ExitStatus | undefined): void {
  const signal = status?.signal === undefined ? undefined : constants.signals[status.signal as NodeJS.Signals]
  const [kind, value] = signal !== undefined
    ? [ExitKind.SIGNAL, signal]
    : status?.exitCode !== undefined ? [ExitKind.CODE, status.exitCode] : [ExitKind.UNKNOWN, 0]
  Atomics.store(block, ControlSlot.EXIT_VALUE, value)
  Atomics.store(block, ControlSlot.EXIT_KIND, kind)
}

function readExitStatus (block: Int32Array): ExitStatus {
  const value = Atomics.load(block, ControlSlot.EXIT_VALUE)
  switch (Atomics.load(block, ControlSlot.EXIT_KIND)) {
    case ExitKind.CODE: return { exitCode: value }
    case ExitKind.SIGNAL: return { signal: Object.entries(constants.signals).find(([, number]) => number === value)?.[0] ?? String(value) }
    default: return {}
  }
}

/** Milliseconds left until the stored deadline (0 once it has passed). */
function timeLeft (block: Int32Array): number {
  const left = (Atomics.load(block, ControlSlot.FLUSH_DEADLINE) - Date.now() % TIME_MODULUS + TIME_MODULUS) % TIME_MODULUS
  return left > 2 ** 30 ? 0 : left
}

/**
 * The main thread's end: asks the running hub for a flush (`final`: the exit's last, with how the
 * process ends) and blocks until the hub served it, stopped, or `deadline` (epoch ms) passed.
 * Returns whether it was served (a stopped hub counts: it has said why on stderr).
 */
export function requestSyncFlush (block: Int32Array, final: boolean, status: ExitStatus | undefined, deadline: number, timeoutMs: number): boolean {
  Atomics.store(block, ControlSlot.FLUSH_IS_FINAL, final ? 1 : 0)
  Atomics.store(block, ControlSlot.FLUSH_DEADLINE, Math.min(deadline, Date.now() + 2 ** 30) % TIME_MODULUS)
  Atomics.store(block, ControlSlot.FLUSH_TIMEOUT_MS, Math.min(timeoutMs, 2 ** 30))
  if (final) storeExitStatus(block, status)
  const request = Atomics.add(block, ControlSlot.FLUSH_REQUEST, 1) + 1
  ringDoorbell(block, true)
  for (;;) {
    const done = Atomics.load(block, ControlSlot.FLUSH_DONE)
    if (done === request || hubStateOf(block) !== 'running') return true
    const remaining = deadline - Date.now()
    if (remaining <= 0) return false
    // Woken by markSyncFlushServed, or by publishHubState('gone').
    Atomics.wait(block, ControlSlot.FLUSH_DONE, done, remaining)
  }
}

/** A request the hub has not served yet, with what serving it needs. */
export interface SyncFlushRequest {
  readonly request: number
  readonly final: boolean
  /** How the process ends (final requests only). */
  readonly status: ExitStatus
  /** Milliseconds the waiter still waits, and the timeout it was given (for what stderr says). */
  readonly leftMs: number
  readonly timeoutMs: number
}

/** Whether a request waits: the hub's drain loop has work. */
export function syncFlushPending (block: Int32Array): boolean {
  return Atomics.load(block, ControlSlot.FLUSH_REQUEST) !== Atomics.load(block, ControlSlot.FLUSH_DONE)
}

/** The hub's end: the request waiting, if any. */
export function pendingSyncFlush (block: Int32Array): SyncFlushRequest | undefined {
  const request = Atomics.load(block, ControlSlot.FLUSH_REQUEST)
  if (request === Atomics.load(block, ControlSlot.FLUSH_DONE)) return undefined
  const final = Atomics.load(block, ControlSlot.FLUSH_IS_FINAL) === 1
  return { request, final, status: final ? readExitStatus(block) : {}, leftMs: timeLeft(block), timeoutMs: Atomics.load(block, ControlSlot.FLUSH_TIMEOUT_MS) }
}

/** The hub served `request`: the blocked main thread goes on. */
export function markSyncFlushServed (block: Int32Array, request: number): void {
  Atomics.store(block, ControlSlot.FLUSH_DONE, request)
  Atomics.notify(block, ControlSlot.FLUSH_DONE)
}
