import { getEnvironmentData, isMainThread, setEnvironmentData } from 'node:worker_threads'

/**
 * The process-wide control block: one small SharedArrayBuffer through which every thread wakes the
 * hub and the main thread asks it for a synchronous flush on exit.
 *
 * ```
 *  Int32 × CONTROL_SLOTS
 *  ┌──────────┬──────────────┬───────────────┬────────────┬───────────┬────────────────┬────────────┬───────────┬────────────┐
 *  │ DOORBELL │ HUB_SLEEPING │ FLUSH_REQUEST │ FLUSH_DONE │ HUB_STATE │ FLUSH_IS_FINAL │ RING_COUNT │ EXIT_KIND │ EXIT_VALUE │
 *  └──────────┴──────────────┴───────────────┴────────────┴───────────┴────────────────┴────────────┴───────────┴────────────┘
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
  EXIT_VALUE: 8
} as const

/** What ControlSlot.EXIT_VALUE holds: nothing known, an exit code, or a signal number. */
export const ExitKind = { UNKNOWN: 0, CODE: 1, SIGNAL: 2 } as const

const CONTROL_SLOTS = 16

export const HubState = { NONE: 0, RUNNING: 1, STOPPED: 2 } as const

const CONTROL_KEY = 'threadlog:control'

/**
 * The control block of this process, or undefined in a worker spawned before the main thread
 * loaded threadlog. Created by the main thread when this module loads, and inherited by every worker
 * spawned afterwards through the environment data.
 */
export const control: Int32Array | undefined = (() => {
  if (isMainThread) {
    const buffer = new SharedArrayBuffer(CONTROL_SLOTS * Int32Array.BYTES_PER_ELEMENT)
    setEnvironmentData(CONTROL_KEY, buffer)
    return new Int32Array(buffer)
  }
  const inherited = getEnvironmentData(CONTROL_KEY)
  return inherited instanceof SharedArrayBuffer ? new Int32Array(inherited) : undefined
})()

/** Wakes the hub if it sleeps; costs one Atomics.load when it is already awake. */
export function ringDoorbell (block: Int32Array | undefined = control, force = false): void {
  if (block === undefined || (!force && Atomics.load(block, ControlSlot.HUB_SLEEPING) === 0)) return
  Atomics.store(block, ControlSlot.HUB_SLEEPING, 0)
  Atomics.add(block, ControlSlot.DOORBELL, 1)
  // The hub waits on DOORBELL (Atomics.waitAsync with a timeout) in its drain loop.
  Atomics.notify(block, ControlSlot.DOORBELL)
}
