import type { ProcessInfo } from '../context/process-info.ts'
import type { LiveSettings } from '../live/root-registration.ts'
import type { HubRecordSettings } from './hub-records.ts'
import type { InlineCounts } from './inline-hub.ts'
import type { PINO_WILL_SEND_CONFIG } from './pino-config.ts'
import type { LogStats } from './stats.ts'
import type { ResolvedTarget } from '../targets/target-spec.ts'

import { threadId } from 'node:worker_threads'

let lastId = 0

/**
 * An id no other message of the process carries (thread ids are never reused within a process):
 * what registrations and requests are told apart by. Not a UUID: node:crypto is ≈ 3 MiB of start-up.
 */
export function nextMessageId (): string {
  return `${threadId}:${++lastId}`
}

/** The BroadcastChannel every thread of a process uses to reach the hub. */
export const HUB_CHANNEL = 'threadlog:hub:v1'

/** A thread hands its ring to the hub. Sent on the channel (and relayed by the main thread). */
export interface RegisterMessage {
  readonly type: 'register'
  /** Unique per ring in the process: the hub ignores a registration it has already seen. */
  readonly id: string
  readonly buffer: SharedArrayBuffer
  readonly tid: number
  /** The thread and process names its first logger stamps. */
  readonly thread: string
  readonly proc: string
  /** When the ring was made (the thread's first logger): the time of its `thread started` record. */
  readonly time: number
}

/** A thread that spawned a worker saw it exit (diagnostics_channel 'worker_threads'). */
export interface ThreadExitMessage {
  readonly type: 'thread-exit'
  readonly tid: number
  readonly exitCode: number
  /**
   * The application called `worker.terminate()` before the thread exited: its exit code (1) says
   * nothing went wrong, and the hub reports the exit like a clean one.
   */
  readonly terminated: boolean
  /** When the parent saw the exit. */
  readonly time: number
}

/** Ask the hub to write everything published so far; answered by a `flushed` with the same id. */
export interface FlushMessage {
  readonly type: 'flush'
  readonly id: string
}

/** Ask the hub for its counts; answered by a `stats-answer` with the same id. */
export interface StatsMessage {
  readonly type: 'stats'
  readonly id: string
}

/** A flush is done, or counts asked for: what the hub has counted so far. */
export interface AnswerMessage {
  readonly type: 'flushed' | 'stats-answer'
  readonly id: string
  readonly stats: LogStats
}

/**
 * The main thread's first logger configured the hub: its targets replace the defaults the hub
 * started with, its level and messageKey apply to the hub's own records.
 */
export interface ConfigureMessage {
  readonly type: 'configure'
  readonly targets: readonly ResolvedTarget[] | undefined
  readonly records: HubRecordSettings | undefined
}

/**
 * The main thread's exit flush timed out: how many records are still unwritten, and which targets
 * hold them up? Answered in `reply` (count-reply.ts): the asking thread is blocked and reads no messages.
 */
export interface CountMessage {
  readonly type: 'count'
  readonly reply: SharedArrayBuffer
}

/** The main thread stopped exporting the hub (`exportHub: false` after a worker started it): close its socket. */
export interface StopListeningMessage {
  readonly type: 'stop-listening'
}

/** setFilter asks the root hub to hand new directives to every connected child process. */
export interface SetFilterMessage {
  readonly type: 'set-filter'
  readonly id: string
  readonly text: string
}

/** Every child connected when a `set-filter` arrived has applied it, or gone. */
export interface FilterSetMessage {
  readonly type: 'filter-set'
  readonly id: string
}

/**
 * A worker spawned before the main thread made its blocks (control.ts, filter-block.ts) asks for
 * them. A main thread that listens sets `reply[0]` to 1 and notifies it, then posts a `blocks`.
 */
export interface BlocksRequestMessage {
  readonly type: 'blocks-request'
  readonly reply: SharedArrayBuffer
}

/** The main thread's blocks, for the workers that asked. */
export interface BlocksMessage {
  readonly type: 'blocks'
  readonly control: SharedArrayBuffer
  readonly filter: SharedArrayBuffer
}

export type ChannelMessage =
  RegisterMessage | ThreadExitMessage | FlushMessage | StatsMessage | AnswerMessage | ConfigureMessage | CountMessage |
  StopListeningMessage | SetFilterMessage | FilterSetMessage | BlocksRequestMessage | BlocksMessage

/** What the main thread gives the hub thread when it starts it. */
export interface HubWorkerData {
  readonly control: SharedArrayBuffer
  readonly targets: readonly ResolvedTarget[]
  /** Whether fds 1 and 2 are terminals: a worker thread cannot tell by itself. */
  readonly stdoutIsTTY: boolean
  readonly stderrIsTTY: boolean
  /** The process's identity as records carry it, for the hub's own records. */
  readonly identity: ProcessInfo
  /** What the hub's own records follow of the logger that started it. */
  readonly records: HubRecordSettings
  /** Where a root hub listens for child processes (process-tree.ts); absent in a relaying child. */
  readonly socketPath: string | undefined
  /** What the main thread wrote itself before it started the hub (inline-hub.ts): the counts go on from there. */
  readonly inline: InlineCounts | undefined
  /** Where a root hub listens for `threadlog attach` and announces itself; absent when the registry is off. */
  readonly live: LiveSettings | undefined
  /** Read by pino-abstract-transport, as in pino's transport thread: the hub sends pino's config (pino-config.ts). */
  readonly workerData: typeof PINO_WILL_SEND_CONFIG
}
