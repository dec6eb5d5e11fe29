import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import { writeSync } from '../node-fs.ts'
import { BroadcastChannel, Worker, isMainThread, threadId } from 'node:worker_threads'
import { resolveProcessInfo } from '../context/process-info.ts'
import { isTerminal } from '../targets/blocking-fd.ts'
import { RingReader } from '../ring/ring-reader.ts'
import { filterBlock } from '../filter/filter-block.ts'
import { controlBlock, ringDoorbell } from './control.ts'
import { HUB_TRANSITIONS, hubStateOf, nextHubPhase, publishHubState, type HubPhase } from './control-plane.ts'
import { allocateCountReply, awaitCountReply, type CountAnswer } from './count-reply.ts'
import { DEFAULT_HUB_RECORD_SETTINGS, HUB_THREAD_NAME, type HubRecordSettings } from './hub-records.ts'
import { InlineWriter, canWriteInline, type InlineCounts } from './inline-hub.ts'
import { configureExport, resolveHubRole, type HubRole } from '../tree/process-tree.ts'
import { prepareRegistration } from '../live/root-registration.ts'
import { registryEnabled } from '../live/registry.ts'
import {
  HUB_CHANNEL, type ChannelMessage, type HubWorkerData, type RegisterMessage, type ThreadExitMessage
} from './protocol.ts'
import { packageFileUrl } from '../package-files.ts'
import { PINO_WILL_SEND_CONFIG } from './pino-config.ts'
import { listenForReopen } from './reopen-signal.ts'
import { NO_STATS, type LogStats } from './stats.ts'
import { relayTo, resolveTargets, type ResolvedTarget } from '../targets/target-spec.ts'

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
  return resolveTargets([{ target: isTerminal(1) ? 'pretty' : 'ndjson' }])
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
    if (deferred !== undefined && inline === undefined && message.tid === threadId) {
      writeInline(deferred, message)
      return
    }
    startDeferredHub()
    // A worker logged before the main thread created a logger: the hub starts with the defaults.
    if (hub === undefined) startHub(undefined, identity ?? resolveProcessInfo(undefined), resolveHubRole(undefined), undefined, undefined)
    hub?.postMessage(message)
  } else if (message.type === 'thread-exit') {
    exited.add(message.tid)
    hub?.postMessage(message)
  } else if (message.type === 'blocks-request') {
    sendBlocks(message.reply)
  }
}

let channel: BroadcastChannel | undefined

/**
 * The main thread listens for the other threads (registrations, exits) and makes the blocks they
 * inherit at its first logger or when it starts its first worker, whichever comes first, never
 * when threadlog is imported. That first worker inherits no block: if it logs before a hub runs, it
 * writes its records itself until the hub, which its registration starts, takes its ring.
 */
/** Answers a worker that inherited no blocks: at once through its reply slot, then with the blocks. */
function sendBlocks (reply: SharedArrayBuffer): void {
  const [control, filter] = [controlBlock(), filterBlock()]
  if (control === undefined || filter === undefined) return
  const flag = new Int32Array(reply)
  Atomics.store(flag, 0, 1)
  // The worker waits on it (Atomics.wait, BLOCKS_ANSWER_MS) in requestBlocks, hub-client.ts.
  Atomics.notify(flag, 0)
  channel?.postMessage({ type: 'blocks', control: control.buffer as SharedArrayBuffer, filter: filter.buffer as SharedArrayBuffer } satisfies ChannelMessage)
}

function listenForThreads (): void {
  if (channel !== undefined || !isMainThread) return
  unsubscribe('worker_threads', listenForThreads)
  controlBlock()
  filterBlock()
  channel = new BroadcastChannel(HUB_CHANNEL)
  channel.onmessage = (event) => handleMessage((event as unknown as { data: ChannelMessage }).data)
  channel.unref()
}

// Node announces each new Worker in the thread that creates it: a subscription, nothing more, at import.
if (isMainThread) subscribe('worker_threads', listenForThreads)

function startHub (configured: ResolvedTarget[] | undefined, processIdentity: HubWorkerData['identity'],
  role: HubRole, records: HubRecordSettings | undefined, registry: boolean | undefined, inlineCounts?: InlineCounts): void {
  const block = controlBlock()
  if (block === undefined) return
  recordsConfigured = records !== undefined
  relaying = role.kind === 'relay'
  const targets = role.kind === 'relay' ? [relayTo(role.path)] : configured ?? defaultTargets()
  runningDefaults = configured === undefined && !relaying
  runningTargets = JSON.stringify(targets)
  if (!relaying) listenForReopen(targets)
  const workerData: HubWorkerData = {
    control: block.buffer as SharedArrayBuffer,
    targets,
    stdoutIsTTY: isTerminal(1),
    stderrIsTTY: isTerminal(2),
    identity: processIdentity,
    records: records ?? DEFAULT_HUB_RECORD_SETTINGS,
    socketPath: role.kind === 'root' ? role.socket?.path : undefined,
    inline: inlineCounts,
    // Only roots register: a relaying child's records are its root's, and so are attaches to them.
    live: role.kind === 'root' ? prepareRegistration(registry, processIdentity.proc) : undefined,
    workerData: PINO_WILL_SEND_CONFIG
  }
  const entry = packageFileUrl('hubWorker')
  // A small young generation: the hub's garbage is short-lived batches, and V8's default lets it grow
  // to tens of MB per process for nothing (measured: root RSS −20 MB with 4 children relaying, CPU per
  // record unchanged or lower).
  phase = nextHubPhase(phase, 'spawn')
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
    phase = nextHubPhase(currentPhase(), 'stop')
    // Whoever waits for the hub to start, or to finish a flush, must stop waiting.
    publishHubState(block, 'gone')
    for (const id of requests.keys()) settleRequest(id, NO_STATS)
  })
  for (const listener of startListeners) listener()
}

const startListeners: Array<() => void> = []

/**
 * Runs `listener` when the hub starts: the exit paths of the main thread must flush it even when
 * no main-thread logger exists (a worker logged first, or only workers log).
 */
/** A hub whose start waits until something needs it, while the main thread writes its own records. */
interface DeferredStart {
  readonly targets: ResolvedTarget[] | undefined
  readonly resolved: ResolvedTarget
  readonly identity: HubWorkerData['identity']
  readonly role: HubRole
  readonly records: HubRecordSettings | undefined
  readonly stallTimeoutMs: number
  readonly registry: boolean | undefined
}

/** The main thread's copy of the hub's phase (control-plane.ts); the hub publishes its own start and stop. */
let phase: HubPhase = 'absent'
let deferred: DeferredStart | undefined
/** The main thread's records on their way to the target while the hub start is deferred. */
let inline: InlineWriter | undefined
/** The main thread's ring, handed to the hub when it starts. */
let mainRegistration: RegisterMessage | undefined

/**
 * Another thread or a child process needs the hub: subscribed to Node's announcements of both, in
 * this thread (a worker's own workers come after the hub, which the first worker started).
 */
const needHub = (): void => { startDeferredHub() }

function writeInline (start: DeferredStart, registration: RegisterMessage): void {
  mainRegistration = registration
  inline = new InlineWriter(registration.buffer, start.resolved, registration.tid, start.stallTimeoutMs, needHub)
}

/**
 * How long a root that writes its own records waits before it starts the hub anyway, when the
 * registry is on: only a hub answers `threadlog ps` and `attach`. A short program ends first and
 * never pays for a hub; a service is listed within a second of its first logger.
 */
const REGISTER_AFTER_MS = 1000
let registerTimer: NodeJS.Timeout | undefined

function deferHub (start: DeferredStart): void {
  phase = nextHubPhase(phase, 'write-inline')
  deferred = start
  runningTargets = JSON.stringify([start.resolved])
  subscribe('worker_threads', needHub)
  if (start.role.kind === 'root' && start.role.socket !== undefined) subscribe('child_process', needHub)
  if (start.role.kind === 'root' && registryEnabled(start.registry)) registerTimer = setTimeout(needHub, REGISTER_AFTER_MS).unref()
}

/** Nothing waits for the hub to be needed any more. */
function stopDeferring (): void {
  deferred = undefined
  clearTimeout(registerTimer)
  registerTimer = undefined
  unsubscribe('worker_threads', needHub)
  unsubscribe('child_process', needHub)
}

/**
 * Hands the main thread's ring over to the hub, in order: whatever the ring holds is written
 * first, synchronously, and the hub reads on from there, its counts continuing the main thread's.
 */
function startDeferredHub (): void {
  const start = deferred
  if (start === undefined) return
  stopDeferring()
  const counts = inline?.end()
  inline = undefined
  startHub(start.targets, start.identity, start.role, start.records, start.registry, counts)
  if (mainRegistration !== undefined) hub?.postMessage(mainRegistration)
}

/** The main thread's ring writer published a record (or found its ring full): whoever reads it looks. */
export function wakeMainReader (urgent: boolean): void {
  if (inline === undefined) ringDoorbell(controlBlock(), urgent)
  else inline.wake(urgent)
}

/**
 * The exit paths' flush while no hub was needed: writes what the ring holds (and, when `final`,
 * syncs the file). Returns false when there is a hub to ask instead.
 */
export function flushInline (final: boolean): boolean {
  if (phase === 'gone' && hub === undefined) return true
  if (inline === undefined) return false
  if (!final) {
    inline.drain()
    return true
  }
  inline.finish()
  // Nothing starts a hub after the last flush: a Worker started by another exit handler logs on its own.
  phase = nextHubPhase(phase, 'final-flush')
  stopDeferring()
  return true
}

/** The main thread's view of the hub's phase, caught up with what the hub published. */
function currentPhase (): HubPhase {
  const control = controlBlock()
  if (phase === 'starting' && control !== undefined && hubStateOf(control) === 'running') phase = nextHubPhase(phase, 'ready')
  return phase
}

/** The exit path's last flush begins (flush.ts): from now on the hub only drains and closes. */
export function noteFinalFlush (): void {
  const now = currentPhase()
  if (HUB_TRANSITIONS[now]['final-flush'] !== undefined) phase = nextHubPhase(now, 'final-flush')
}

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
  exportHub: boolean | undefined, records: HubRecordSettings | undefined, stallTimeoutMs: number, registry: boolean | undefined): void {
  identity ??= processIdentity
  listenForThreads()
  if (phase === 'absent') {
    const role = resolveHubRole(exportHub)
    const [resolved] = targets ?? defaultTargets()
    if (resolved !== undefined && canWriteInline(targets ?? [resolved], records ?? DEFAULT_HUB_RECORD_SETTINGS, role.kind === 'relay')) {
      deferHub({ targets, resolved, identity, role, records, stallTimeoutMs, registry })
      return
    }
    startHub(targets, identity, role, records, registry)
    return
  }
  // A later logger that changes nothing leaves the hub deferred; any other needs the hub's checks.
  const unchanged = (targets === undefined || JSON.stringify(targets) === runningTargets) && exportHub === undefined
  if (deferred !== undefined && unchanged) return
  startDeferredHub()
  if (hub === undefined) return
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
  // The counts are the hub's to keep: a program that asks for them pays for the hub.
  startDeferredHub()
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
  const control = controlBlock()
  const running = hub !== undefined && control !== undefined && hubStateOf(control) === 'running'
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
