import { getEnvironmentData, isMainThread, setEnvironmentData } from 'node:worker_threads'

/**
 * The process-wide control block: one small SharedArrayBuffer through which every thread wakes the
 * hub and the main thread asks it for a synchronous flush on exit.
 *
 * ```
 *  Int32 × CONTROL_SLOTS
 *  ┌──────────┬──────────────┬───────────────┬────────────┬───────────┬────────────────┬────────────┬───────────┬────────────┬────────────────┬────────────────┬──────────────────┐
 *  │ DOORBELL │ HUB_SLEEPING │ FLUSH_REQUEST │ FLUSH_DONE │ HUB_STATE │ FLUSH_IS_FINAL │ RING_COUNT │ EXIT_KIND │ EXIT_VALUE │ REOPEN_REQUEST │ FLUSH_DEADLINE │ FLUSH_TIMEOUT_MS │
 *  └──────────┴──────────────┴───────────────┴────────────┴───────────┴────────────────┴────────────┴───────────┴────────────┴────────────────┴────────────────┴──────────────────┘
 * ```
 */
export const ControlSlot = {
  /** Bumped (and notified) by a producer that finds the hub sleeping. The hub waits on it. */
  DOORBELL: 0,
  /** 1 while the hub sleeps on DOORBELL. */
  HUB_SLEEPING: 1,
  /** Incremented by the main thread to ask for a full drain and target flush (exit paths). */
  FLUSH_REQUEST: 2,
  /** The last FLUSH_REQUEST the hub completed. Notified by the hub; the main thread waits on it. */
  FLUSH_DONE: 3,
  /** A {@link HubState}. */
  HUB_STATE: 4,
  /** 1 when the pending flush request is the last one (process exit): the hub closes its targets. */
  FLUSH_IS_FINAL: 5,
  /**
   * How many rings the hub drains: stored by the hub at the end of every drain cycle (so also
   * before it answers a flush). A ring leaves the count once its thread has exited and the hub has
   * written its last records; read it after `flushAll()` to see that no ring outlives its thread.
   */
  RING_COUNT: 6,
  /**
   * How the process ends, stored by the main thread before a final flush: an {@link ExitKind}, and
   * the exit code or signal number. A relaying child tells its root (the `process exited` record).
   */
  EXIT_KIND: 7,
  /** The exit code or signal number, as EXIT_KIND says. */
  EXIT_VALUE: 8,
  /**
   * Incremented by the main thread on SIGHUP when a file target reopens on it. The hub compares it
   * with the last value it saw after taking a batch and before writing it, so a record logged after
   * the signal is written to the reopened file (see reopen-signal.ts).
   */
  REOPEN_REQUEST: 9,
  /**
   * When the main thread stops waiting for the pending flush request: `(Date.now() + timeout)`
   * modulo 2³¹, stored with it (see sync-flush.ts). The hub gives its targets a little less
   * to close in a final flush, so that it, not the main thread's timeout, says which target had not
   * finished and with what.
   */
  FLUSH_DEADLINE: 10,
  /** The flush timeout itself, in ms, for the hub's messages. */
  FLUSH_TIMEOUT_MS: 11
} as const

/** What ControlSlot.EXIT_VALUE holds: nothing known, an exit code, or a signal number. */
export const ExitKind = { UNKNOWN: 0, CODE: 1, SIGNAL: 2 } as const

const CONTROL_SLOTS = 16

export const HubState = { NONE: 0, RUNNING: 1, STOPPED: 2 } as const

const CONTROL_KEY = 'threadlog:control'

let block: Int32Array | undefined
let lookedUp = false

/**
 * The control block of this process, or undefined in a worker spawned before the main thread made
 * it. The main thread makes it when it first needs it — its first logger, the first worker it starts
 * (hub-starter.ts), a flush — never when threadlog is imported; every worker spawned afterwards
 * inherits it through the environment data.
 */
export function controlBlock (): Int32Array | undefined {
  if (block !== undefined || (lookedUp && !isMainThread)) return block
  lookedUp = true
  if (isMainThread) {
    const buffer = new SharedArrayBuffer(CONTROL_SLOTS * Int32Array.BYTES_PER_ELEMENT)
    setEnvironmentData(CONTROL_KEY, buffer)
    block = new Int32Array(buffer)
    return block
  }
  const inherited = getEnvironmentData(CONTROL_KEY)
  if (inherited instanceof SharedArrayBuffer) block = new Int32Array(inherited)
  return block
}

/** A worker that inherited no block takes the one the main thread sent it (hub-client.ts). */
export function adoptControlBlock (buffer: SharedArrayBuffer): void {
  block ??= new Int32Array(buffer)
}

/** Wakes the hub if it sleeps; costs one Atomics.load when it is already awake. */
export function ringDoorbell (control: Int32Array | undefined = controlBlock(), force = false): void {
  if (control === undefined || (!force && Atomics.load(control, ControlSlot.HUB_SLEEPING) === 0)) return
  Atomics.store(control, ControlSlot.HUB_SLEEPING, 0)
  Atomics.add(control, ControlSlot.DOORBELL, 1)
  // The hub waits on DOORBELL (Atomics.waitAsync with a timeout) in its drain loop.
  Atomics.notify(control, ControlSlot.DOORBELL)
}
