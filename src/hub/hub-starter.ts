import { writeSync } from 'node:fs'
import { isatty } from 'node:tty'
import { BroadcastChannel, Worker, isMainThread } from 'node:worker_threads'
import { resolveProcessInfo } from '../context/process-info.ts'
import { RingReader } from '../ring/ring-reader.ts'
import { ControlSlot, HubState, control } from './control.ts'
import { allocateCountReply, awaitCountReply, type CountAnswer } from './count-reply.ts'
import { DEFAULT_HUB_RECORD_SETTINGS, HUB_THREAD_NAME, type HubRecordSettings } from './hub-records.ts'
import { configureExport, resolveHubRole } from './process-tree.ts'
import { prepareRegistration } from '../live/root-registration.ts'
import {
  HUB_CHANNEL, type ChannelMessage, type HubWorkerData, type RegisterMessage, type ThreadExitMessage
} from './protocol.ts'
import { PINO_WILL_SEND_CONFIG } from './pino-config.ts'
import { listenForReopen } from './reopen-signal.ts'
import { NO_STATS, type LogStats } from './stats.ts'
import { resolveTargets, type ResolvedTarget } from './target-spec.ts'

// Main thread only: starts the hub (a worker spawned by the main thread lives as long as the
// process; one spawned by a worker would die with it) and hands it the rings registered early.

let hub: Worker | undefined
/** This process relays to its root's hub: the root's targets apply, a `targets` option here does not. */
let relaying = false
let runningTargets: string | undefined
/** The hub runs the default targets because a worker logged before the main thread configured any. */
let runningDefaults = false
/** The hub's own records follow the first main-thread logger; until it exists, the defaults. */
let recordsConfigured = false
/** Every ring of the process, for counting what an exit flush could not write. */
const rings = new Map<number, RingReader>()
/** Threads known to have exited, whose rings are forgotten once the hub has drained them. */
const exited = new Set<number>()
/** Exits of threads that never registered (they never logged) are forgotten beyond this many. */
const MAX_PENDING_EXITS = 1024

function forgetDrainedRings (): void {
  for (const tid of exited) {
    const ring = rings.get(tid)
    // Unknown yet: the exit notice may have overtaken the registration.
    if (ring === undefined || ring.hasPending()) continue
    rings.delete(tid)
    exited.delete(tid)
  }
  for (const tid of exited) {
    if (exited.size <= MAX_PENDING_EXITS) break
    exited.delete(tid) // oldest first: a Set iterates in insertion order
  }
}

let identity: HubWorkerData['identity'] | undefined

function defaultTargets (): ResolvedTarget[] {
  return resolveTargets([{ target: isatty(1) ? 'pretty' : 'ndjson' }])
}

/** The one target of a relaying child's hub: the root hub's socket (relay-target.ts). */
function relayTarget (path: string): ResolvedTarget {
  return { name: 'root hub', module: 'relay', minLevel: 0, options: { path } }
}

/**
 * Sees every registration and thread exit of the process. It relays them to the hub through the
 * hub's own port too: the hub may not have opened its channel yet, and a port, unlike a channel,
 * queues messages until its thread listens. The hub ignores what it has already seen.
 */
function handleMessage (message: ChannelMessage): void {
  forgetDrainedRings()
  if (message.type === 'register') {
    rings.set(message.tid, new RingReader(message.buffer))
    // A worker logged before the main thread created a logger: the hub starts with the defaults.
    if (hub === undefined) startHub(undefined, identity ?? resolveProcessInfo(undefined), undefined, undefined, undefined)
    hub?.postMessage(message)
  } else if (message.type === 'thread-exit') {
    exited.add(message.tid)
    hub?.postMessage(message)
  }
}

const channel = isMainThread ? new BroadcastChannel(HUB_CHANNEL) : undefined
if (channel !== undefined) {
  channel.onmessage = (event) => handleMessage((event as unknown as { data: ChannelMessage }).data)
  channel.unref()
}

function startHub (configured: ResolvedTarget[] | undefined, processIdentity: HubWorkerData['identity'],
  exportHub: boolean | undefined, records: HubRecordSettings | undefined, registry: boolean | undefined): void {
  const block = control
  if (block === undefined) return
  recordsConfigured = records !== undefined
  const role = resolveHubRole(exportHub)
  relaying = role.kind === 'relay'
  const targets = role.kind === 'relay' ? [relayTarget(role.path)] : configured ?? defaultTargets()
  runningDefaults = configured === undefined && !relaying
  runningTargets = JSON.stringify(targets)
  if (!relaying) listenForReopen(targets)
  const workerData: HubWorkerData = {
    control: block.buffer as SharedArrayBuffer,
    targets,
    stdoutIsTTY: isatty(1),
    stderrIsTTY: isatty(2),
    identity: processIdentity,
    records: records ?? DEFAULT_HUB_RECORD_SETTINGS,
    socketPath: role.kind === 'root' ? role.socket?.path : undefined,
    // Only roots register: a relaying child's records are its root's, and so are attaches to them.
    live: role.kind === 'root' ? prepareRegistration(registry, processIdentity.proc) : undefined,
    workerData: PINO_WILL_SEND_CONFIG
  }
  const entry = new URL(import.meta.url.endsWith('.ts') ? './hub-worker.ts' : './hub-worker.js', import.meta.url)
  // A small young generation: the hub's garbage is short-lived batches, and V8's default lets it grow
  // to tens of MB per process for nothing (measured: root RSS −20 MB with 4 children relaying, CPU per
  // record unchanged or lower).
  hub = new Worker(entry, { name: HUB_THREAD_NAME, workerData, resourceLimits: { maxYoungGenerationSizeMb: 8 } })
  hub.on('message', (message: ChannelMessage) => {
    if (message.type === 'flushed' || message.type === 'stats-answer') settleRequest(message.id, message.stats)
  })
  // The hub must never keep the process alive, nor take it down: its failures are reported.
  // (Unref'd after the 'message' listener is added: adding it refs the worker's port again.)
  hub.unref()
  hub.on('error', (error) => {
    writeSync(2, `threadlog: the hub thread failed: ${error.stack ?? String(error)}\n`)
  })
  hub.on('exit', () => {
    Atomics.store(block, ControlSlot.HUB_STATE, HubState.STOPPED)
    // Whoever waits for the hub to start, or to finish a flush, must stop waiting.
    Atomics.notify(block, ControlSlot.HUB_STATE)
    Atomics.notify(block, ControlSlot.FLUSH_DONE)
    for (const id of requests.keys()) settleRequest(id, NO_STATS)
  })
  for (const listener of startListeners) listener()
}

const startListeners: Array<() => void> = []

/**
 * Runs `listener` when the hub starts: the exit paths of the main thread must flush it even when
 * no main-thread logger exists (a worker logged first, or only workers log).
 */
export function whenHubStarts (listener: () => void): void {
  if (hub !== undefined) listener()
  else startListeners.push(listener)
}

/**
 * Starts the hub unless it runs; called by every logger created in the main thread. The first
 * `targets` (and `exportHub`) given replace the defaults the hub may run with; a later, different
 * value throws. The first logger's `records` settings apply to the hub's own records.
 */
export function ensureHub (targets: ResolvedTarget[] | undefined, processIdentity: HubWorkerData['identity'],
  exportHub: boolean | undefined, records?: HubRecordSettings, registry?: boolean): void {
  identity ??= processIdentity
  if (hub === undefined) {
    startHub(targets, identity, exportHub, records, registry)
    return
  }
  const replaceTargets = !relaying && targets !== undefined && JSON.stringify(targets) !== runningTargets
  if (replaceTargets && !runningDefaults) {
    throw new Error('threadlog: option "targets" differs from the targets the hub of this process already runs ' +
      'with; they are configured once per process, by the first main-thread logger that passes them')
  }
  // Checked (and thrown) before anything changes: a logger that throws configures nothing.
  if (configureExport(exportHub)) hub.postMessage({ type: 'stop-listening' } satisfies ChannelMessage)
  const configureRecords = !recordsConfigured && records !== undefined
  if (configureRecords) recordsConfigured = true
  if (!replaceTargets && !configureRecords) return
  if (replaceTargets) {
    // Until the main thread configures targets, the hub runs the defaults; the first `targets` replace them.
    runningDefaults = false
    runningTargets = JSON.stringify(targets)
    listenForReopen(targets as ResolvedTarget[])
  }
  hub.postMessage({
    type: 'configure', targets: replaceTargets ? targets : undefined, records: configureRecords ? records : undefined
  } satisfies ChannelMessage)
}

/** The main thread's `flushAll()`s and `stats()`s waiting for the hub's answer, by request id. */
const requests = new Map<string, (stats: LogStats) => void>()
/** Requests in progress, including those still waiting for the hub to run. */
let pendingRequests = 0

function settleRequest (id: string, stats: LogStats): void {
  requests.get(id)?.(stats)
  requests.delete(id)
}

/**
 * The main thread's `flushAll()` and `stats()`: asked and answered through the hub's own port (see
 * hub-worker.ts: no `MessageEvent`, so no undici to load). `hubRunning` waits until the hub can
 * answer. Resolves at once without a hub (nothing is buffered then), with no counts.
 */
export async function askHub (type: 'flush' | 'stats', id: string, hubRunning: () => Promise<boolean>): Promise<LogStats> {
  const worker = hub
  if (worker === undefined) return NO_STATS
  // Pending requests keep the process alive until the hub answers; the hub alone never does.
  if (pendingRequests++ === 0) worker.ref()
  try {
    if (!(await hubRunning())) return NO_STATS
    const answered = new Promise<LogStats>((resolve) => requests.set(id, resolve))
    worker.postMessage({ type, id } satisfies ChannelMessage)
    return await answered
  } finally {
    if (--pendingRequests === 0) worker.unref()
  }
}

/** Hands a message of the main thread itself to the hub (a channel does not hear its own posts). */
export function relayToHub (message: RegisterMessage | ThreadExitMessage): void {
  handleMessage(message)
}

/** How long a timed-out exit flush waits for the hub to say what it could not write. */
const COUNT_TIMEOUT_MS = 1000

/** What a timed-out exit flush could find out about the records it leaves unwritten. */
export interface Unwritten extends CountAnswer {
  /** The hub runs but did not answer (a target blocks its thread): `unwritten` misses what it held. */
  readonly hubSilent: boolean
}

/**
 * Records not yet written by every target, and the targets holding them up: asked of the hub, whose
 * event loop is free while it awaits a hung target; when the hub cannot answer (a target blocking
 * its thread), counted from the rings the main thread knows of, which misses what the hub holds.
 */
export function countUnwrittenRecords (): Unwritten {
  const running = hub !== undefined && control !== undefined && Atomics.load(control, ControlSlot.HUB_STATE) === HubState.RUNNING
  if (running) {
    const reply = allocateCountReply()
    hub?.postMessage({ type: 'count', reply } satisfies ChannelMessage)
    const answer = awaitCountReply(reply, COUNT_TIMEOUT_MS)
    if (answer !== undefined) return { ...answer, hubSilent: false }
  }
  let unwritten = 0
  for (const ring of rings.values()) unwritten += ring.countPending()
  return { unwritten, stalled: [], hubSilent: running }
}
