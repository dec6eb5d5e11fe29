// The hub's life as one state machine: which phases there are, which event leads from one to the
// next, and how a phase is published to the other threads through the control block's HUB_STATE
// slot. The main thread drives it (hub-starter.ts), the hub publishes its own start and stop
// (hub-worker.ts), and every waiter reads the slot through hubStateOf.
//
//            write-inline                spawn               ready              final-flush
//  absent ───────────────► inline ───────────────► starting ───────► running ───────────────► draining
//     │                      │  final-flush            ▲ │ stop        │ stop                    │ stop
//     └──────── spawn ───────┼─────────────────────────┘ ▼             ▼                         ▼
//                            └──────────────────────────► gone ◄────────────────────────────────┘
import { ControlSlot, HubState } from './control.ts'

/**
 * - `absent`: no logger asked for a hub yet.
 * - `inline`: the main thread writes its own records (inline-hub.ts); no hub thread.
 * - `starting`: the hub's Worker is spawned; it has not opened its targets yet.
 * - `running`: the hub drains rings and answers flushes.
 * - `draining`: the final exit flush is asked for: the hub writes what is left and closes its targets.
 * - `gone`: no hub will write anything more (the final flush was served without one, or it stopped).
 */
export type HubPhase = 'absent' | 'inline' | 'starting' | 'running' | 'draining' | 'gone'

/**
 * - `write-inline`: the first main-thread logger needs nothing only a thread gives.
 * - `spawn`: the hub's Worker is started (first logger, a second thread, a child process, a flush).
 * - `ready`: the hub says it runs (HUB_STATE RUNNING).
 * - `final-flush`: the exit path's last flush.
 * - `stop`: the hub thread stopped or exited.
 */
export type HubEvent = 'write-inline' | 'spawn' | 'ready' | 'final-flush' | 'stop'

/** Every allowed transition; an event missing from a phase's row is a bug in the caller. */
export const HUB_TRANSITIONS: Readonly<Record<HubPhase, Readonly<Partial<Record<HubEvent, HubPhase>>>>> = {
  absent: { 'write-inline': 'inline', spawn: 'starting' },
  inline: { spawn: 'starting', 'final-flush': 'gone' },
  starting: { ready: 'running', 'final-flush': 'draining', stop: 'gone' },
  running: { 'final-flush': 'draining', stop: 'gone' },
  draining: { stop: 'gone' },
  gone: {}
}

/** The phase `event` leads to from `phase`. @throws {RangeError} for a transition the table does not have. */
export function nextHubPhase (phase: HubPhase, event: HubEvent): HubPhase {
  const next = HUB_TRANSITIONS[phase][event]
  if (next === undefined) throw new RangeError(`threadlog: hub event "${event}" cannot happen in phase "${phase}"`)
  return next
}

/** What the HUB_STATE slot tells another thread: the hub has not said anything yet, runs, or is gone. */
export type PublishedHubState = 'starting' | 'running' | 'gone'

/** Reads the HUB_STATE slot. */
export function hubStateOf (control: Int32Array): PublishedHubState {
  const state = Atomics.load(control, ControlSlot.HUB_STATE)
  return state === HubState.RUNNING ? 'running' : state === HubState.STOPPED ? 'gone' : 'starting'
}

/**
 * Publishes that the hub runs, or is gone, and wakes whoever waits: for the hub to start
 * (HUB_STATE), or for a flush the hub will now never serve (FLUSH_DONE).
 */
export function publishHubState (control: Int32Array, state: 'running' | 'gone'): void {
  Atomics.store(control, ControlSlot.HUB_STATE, state === 'running' ? HubState.RUNNING : HubState.STOPPED)
  Atomics.notify(control, ControlSlot.HUB_STATE)
  if (state === 'gone') Atomics.notify(control, ControlSlot.FLUSH_DONE)
}

const RAW_STATE: Readonly<Record<PublishedHubState, number>> = { starting: HubState.NONE, running: HubState.RUNNING, gone: HubState.STOPPED }

/** Blocks while the slot still says `state`, at most `timeoutMs`: woken by {@link publishHubState}. */
export function waitWhileHubState (control: Int32Array, state: PublishedHubState, timeoutMs: number): void {
  Atomics.wait(control, ControlSlot.HUB_STATE, RAW_STATE[state], timeoutMs)
}

/** {@link waitWhileHubState} without blocking the thread; a pending wait keeps no thread alive. */
export async function waitAsyncWhileHubState (control: Int32Array, state: PublishedHubState, timeoutMs: number): Promise<void> {
  const wait = Atomics.waitAsync(control, ControlSlot.HUB_STATE, RAW_STATE[state], timeoutMs)
  if (wait.async) await wait.value
}
