// The hub: one worker thread per process that drains every thread's ring and owns every target.
import { writeSync } from 'node:fs'
import { setImmediate as yieldToEventLoop } from 'node:timers/promises'
import { BroadcastChannel, parentPort, receiveMessageOnPort, threadId, workerData } from 'node:worker_threads'
import { ControlSlot } from './control.ts'
import { markSyncFlushServed, pendingSyncFlush, syncFlushPending } from './sync-flush.ts'
import { publishHubState } from './control-plane.ts'
import { writeCountReply } from './count-reply.ts'
import { LIFECYCLE_LEVEL, WARNING_LEVEL, createHubRecorder } from './hub-records.ts'
import { HUB_CHANNEL, type ChannelMessage, type HubWorkerData, type RegisterMessage } from './protocol.ts'
import { createReopenWatch } from './reopen-signal.ts'
import { SourceTable, originOf, type Source } from './sources.ts'
import { StatsTable, type LogStats } from './stats.ts'
import type { ResolvedTarget } from '../targets/target-spec.ts'
import { SocketServer, type Taken } from '../tree/socket-server.ts'
import { closeTargetsWithin } from '../targets/close-targets.ts'
import type { OpenTarget } from '../targets/open-target.ts'
import {
  continueInlineCounts, describeStalledTargets, describeTargets, openTargets, reportMissed, writeToTargets
} from '../targets/targets.ts'
import { TimeMerge, type DeferredRecord } from './time-merge.ts'
import { startLiveHub } from '../live/live-hub.ts'

/** Bytes taken from one ring per cycle, so that a busy thread cannot starve the others. */
const BYTES_PER_RING_PER_CYCLE = 256 * 1024
/** How long the idle hub sleeps before it looks anyway (for threads that cannot ring the bell). */
const IDLE_POLL_MS = 100
/** A cycle that took less than this was a trickle: the hub waits LINGER_MS for more before the next. */
const SMALL_CYCLE_BYTES = 64 * 1024
const LINGER_MS = 1
/** ...unless a ring gave at least this share of its capacity in that cycle. */
const LINGER_MAX_RING_SHARE = 1 / 8

const data = workerData as HubWorkerData
const control = new Int32Array(data.control)

/**
 * The hub cannot go on (its loop failed, or a target threw where nobody catches, even while it
 * starts): it says so and marks itself stopped, so that nobody waits for it — not even a main
 * thread blocked in its exit flush, which could not see this thread's 'exit' event.
 */
function stopHub (error: unknown): void {
  writeSync(2, `threadlog: the hub stopped: ${error instanceof Error ? error.stack : String(error)}\n`)
  publishHubState(control, 'gone')
}

process.on('uncaughtException', (error) => {
  stopHub(error)
  process.exit(1) // ends this thread only
})

const recorder = createHubRecorder(data.identity, data.records)
/** The configuring logger's settings, which transports opened from now on get as pino's config. */
let recordSettings = data.records
const { record } = recorder
const stats = new StatsTable()
const sources = new SourceTable(stats, data.identity.pid)
/** Child processes of the tree relaying to this hub, when it is a root exporting its socket. */
const children = data.socketPath === undefined
  ? undefined
  : new SocketServer({ recorder, stats, wake: () => Atomics.notify(control, ControlSlot.DOORBELL) })
/** What a relaying child's hub tells the root of this process when `threadlog ps` asks. */
function reportProcess (): { threads: number, dropped: number, lost: number } {
  const { dropped, lost } = snapshotStats()
  return { threads: sources.size, dropped, lost }
}
/**
 * None until they are open. The counts are asked for meanwhile (the live side samples them every
 * second, a child is asked by `ps`): a slow transport must find no targets, not an uninitialized binding.
 */
let targets: OpenTarget[] = []
// Both before the hub says it runs (a flushAll() that resolved means children can connect), and
// side by side: children wait for the socket at most 5 s, a network transport may take longer to open.
const [opened, live] = await Promise.all([
  openTargets(data.targets, { ...data, reportProcess }),
  data.live === undefined ? undefined : startLiveHub(data.live, { snapshot: snapshotStats, threads: () => sources.size, children, settings: () => recordSettings }),
  children?.listen(data.socketPath as string)
])
targets = opened
continueInlineCounts(targets, data.inline)
/** Whether SIGHUP came since the last cycle (reopen-signal.ts). */
const reopenRequested = createReopenWatch(control)
/** Records taken from rings that the targets have not all written yet. */
let inFlight = 0

/** The hub's own thread logs nothing about itself (a transport of its own may log through a ring). */
function register (message: RegisterMessage): void {
  const source = sources.add(message)
  if (source !== undefined && source.tid === threadId) source.announce = false
  // The main thread's ring, which it drained itself until it started the hub.
  if (source !== undefined && source.tid === data.inline?.tid) {
    source.counts.written += data.inline.written
    source.counts.bytes += data.inline.bytes
  }
}

const identify = (source: Source) => ({ threadId: source.tid, threadName: source.thread })

/** Appends what the hub says about a source at the end of its run: drops, losses, its exit. */
function describeSource (source: Source, merge: TimeMerge, dropped: number, gone: boolean): void {
  const append = (deferred: DeferredRecord | undefined) => { if (deferred !== undefined) merge.appendDeferred(deferred) }
  const name = source.counts.source
  if (dropped > 0) append(record(WARNING_LEVEL, `dropped ${dropped} records from ${name}: its ring was full`, { ...identify(source), dropped }))
  const lost = source.reader.takeLost(gone)
  source.counts.lost += lost
  if (lost > 0) {
    const why = gone ? 'its thread ended in the middle of writing a record' : 'a record was left unfinished'
    append(record(WARNING_LEVEL, `lost ${lost} records from ${name}: ${why}`, { ...identify(source), lost }))
  }
  if (!gone || source.tid === threadId) return
  const exitCode = source.exitCode ?? 0
  // A thread the application terminated exits with 1 without anything being wrong: a debug record too.
  const level = exitCode === 0 || source.terminated ? LIFECYCLE_LEVEL : WARNING_LEVEL
  const terminated = source.terminated ? { terminated: true } : {}
  append(record(level, 'thread exited', { ...identify(source), exitCode, ...terminated }, source.exitedAt))
}

/**
 * Merges free for the next cycle. A cycle gives its merge back once every target has written it;
 * cycles can overlap (a flush request runs one while a slow target still writes the previous one),
 * so each takes its own. Overlaps are rare and short: a couple are kept, emptied.
 */
const spareMerges: TimeMerge[] = []
const MAX_SPARE_MERGES = 2
/**
 * The writes of cycles still under way. A flush's own cycles can run while the loop's cycle waits
 * for a slow target (or a relay for the root's welcome) with records the flush must cover: the
 * flush waits for those writes too, and children's SYNCs are answered only when none is left.
 */
const writesInProgress = new Set<Promise<void>>()

/** What a cycle took: its bytes, and the largest share of one ring's capacity it took from that ring. */
interface Cycle {
  readonly bytes: number
  readonly fullest: number
}

/** Takes one ring's records (bounded) as one run of the merge, with what the hub says about it. */
function takeFromRing (source: Source, merge: TimeMerge, gone: boolean, taken: Taken[]): number {
  merge.startRun()
  if (source.announce) {
    source.announce = false
    const started = record(LIFECYCLE_LEVEL, 'thread started', identify(source), source.startedAt)
    if (started !== undefined) merge.appendDeferred(started)
  }
  const dropped = source.reader.takeDropped()
  source.counts.dropped += dropped
  const { staging } = merge
  const [records, bytes] = [staging.count, staging.byteLength]
  const consumed = source.reader.drain(staging, gone ? Number.POSITIVE_INFINITY : BYTES_PER_RING_PER_CYCLE)
  merge.setRunOrigin(originOf(source))
  if (staging.count > records) taken.push({ counts: source.counts, records: staging.count - records, bytes: staging.byteLength - bytes })
  describeSource(source, merge, dropped, gone)
  return consumed
}

/** Takes what every ring holds (bounded per ring), releases drained rings of exited threads. */
async function drainCycle (): Promise<Cycle> {
  const merge = spareMerges.pop() ?? new TimeMerge()
  const taken: Taken[] = []
  let fullest = 0
  for (const [id, source] of sources.entries()) {
    const gone = sources.isGone(source)
    fullest = Math.max(fullest, takeFromRing(source, merge, gone, taken) / source.reader.capacity)
    if (gone) sources.release(id)
  }
  const ringRecords = taken.reduce((sum, { records }) => sum + records, 0)
  children?.take(merge, BYTES_PER_RING_PER_CYCLE, taken)
  const merged = merge.merge()
  // Attach clients get every record; the targets all but those only a `--set` overlay raised.
  const batch = live === undefined ? merged : live.deliver(merged, merge.segments())
  // After the batch is taken: a record logged after SIGHUP, if it is in this batch, goes to the new file.
  if (reopenRequested()) for (const target of targets) target.reopen?.()
  // For observers (tests, diagnostics): how many rings are still held, after this cycle's releases.
  Atomics.store(control, ControlSlot.RING_COUNT, sources.size)
  const bytes = batch.byteLength
  inFlight += ringRecords
  if (bytes > 0) {
    const writing = writeToTargets(targets, batch)
    writesInProgress.add(writing)
    try {
      await writing
    } finally {
      writesInProgress.delete(writing)
    }
  }
  inFlight -= ringRecords
  for (const { counts, records, bytes } of taken) {
    counts.written += records
    counts.bytes += bytes
  }
  merge.clear()
  if (spareMerges.length < MAX_SPARE_MERGES) spareMerges.push(merge)
  // Once no other cycle is still writing what it took (which children's SYNCs may cover), and also
  // when nothing was taken: a child's SYNC may have arrived after its last records were written.
  if (writesInProgress.size === 0) children?.written()
  return { bytes, fullest }
}

/**
 * Drains until every ring has been consumed up to what it had published when this was called, and
 * every child's records received by then are written.
 */
async function drainPublished (): Promise<void> {
  const snapshot = [...sources.values()].map((source) => [source, source.reader.publishedPosition()] as const)
  const childrenReached = children?.markReceived() ?? (() => true)
  await drainCycle()
  while (!childrenReached() ||
    snapshot.some(([source, position]) => !source.reader.hasReached(position) && !sources.isGone(source))) {
    await drainCycle()
  }
  await drainCycle()
  // A ring read up to its mark means its records were taken, by this flush or by a concurrent cycle.
  await Promise.all(writesInProgress)
}

/** Everything published is written, as far as each target can tell (a relay: by the root's targets). */
async function flushTargets (): Promise<void> {
  await drainPublished()
  await Promise.all(targets.map(async (target) => await target.flush?.()))
}

async function serveExitFlush (): Promise<void> {
  const asked = pendingSyncFlush(control)
  if (asked === undefined) return
  // Registrations relayed by the main thread just before it blocked in its exit handler.
  for (let received = receive(); received !== undefined; received = receive()) await handleMessage(received, 'port')
  if (asked.final) {
    if (children !== undefined) {
      // A child that died just before this process exits: the kernel ended its socket before it
      // told this process of the death, so the end is there to read, but the hub reads it in its
      // event loop: the end of a stream is handled in the turn that reads it, a reset socket's
      // close at the end of that turn. Two turns, and that child's 'process exited' is queued.
      await yieldToEventLoop()
      await yieldToEventLoop()
    }
    await drainPublished()
    await closeTargetsWithin(targets, asked.status, asked.leftMs, asked.timeoutMs)
    reportMissed(targets)
    live?.end()
  } else {
    await flushTargets()
  }
  markSyncFlushServed(control, asked.request)
}

/**
 * Tells the main thread, blocked in a timed-out exit flush, how many records will not be written
 * and which targets hold them up.
 */
function answerCount (reply: SharedArrayBuffer): void {
  let unwritten = inFlight
  for (const source of sources.values()) unwritten += source.reader.countPending()
  writeCountReply(reply, { unwritten, stalled: describeStalledTargets(targets) })
}

function snapshotStats (): LogStats {
  for (const source of sources.values()) source.counts.buffered = source.reader.pendingBytes()
  children?.countBuffered()
  return stats.snapshot(describeTargets(targets))
}

/** Swaps the default targets for the configured ones, between two cycles. */
async function replaceTargets (specs: readonly ResolvedTarget[] | undefined): Promise<void> {
  if (specs === undefined) return
  const next = await openTargets(specs, { ...data, records: recordSettings, reportProcess })
  const previous = targets
  targets = next
  await Promise.all(previous.map((target) => target.close()))
}

function anyWork (): boolean {
  if (syncFlushPending(control)) return true
  for (const source of sources.values()) {
    if (source.reader.hasPending() || sources.isGone(source)) return true
  }
  return children?.hasPending() === true
}

const channel = new BroadcastChannel(HUB_CHANNEL)

/**
 * `from`: where the message came from, which is where a `flushed` answer goes. The main thread asks
 * through this worker's port: a port's message builds no `MessageEvent`, whose first use costs a
 * thread tens of milliseconds (Node loads undici for it), and a worker-less process then never pays it.
 */
async function handleMessage (message: ChannelMessage, from: 'port' | 'channel'): Promise<void> {
  if (message.type === 'register') register(message)
  else if (message.type === 'thread-exit') sources.markExited(message.tid, message)
  else if (message.type === 'configure') {
    if (message.records !== undefined) {
      recordSettings = message.records
      recorder.configure(message.records)
    }
    await replaceTargets(message.targets)
  } else if (message.type === 'stop-listening') children?.stopListening()
  else if (message.type === 'count') answerCount(message.reply)
  else if (message.type === 'set-filter') {
    await children?.setFilter(message.text)
    channel.postMessage({ type: 'filter-set', id: message.id } satisfies ChannelMessage)
  }
  else if (message.type === 'flush' || message.type === 'stats') {
    if (message.type === 'flush') await flushTargets()
    const answer: ChannelMessage = { type: message.type === 'flush' ? 'flushed' : 'stats-answer', id: message.id, stats: snapshotStats() }
    if (from === 'port') parentPort?.postMessage(answer)
    else channel.postMessage(answer)
  }
  // Whatever arrived may be work: wake the loop below if it sleeps.
  Atomics.notify(control, ControlSlot.DOORBELL)
}

channel.onmessage = (event) => { void handleMessage((event as unknown as { data: ChannelMessage }).data, 'channel') }
parentPort?.on('message', (message: ChannelMessage) => { void handleMessage(message, 'port') })

function receive (): ChannelMessage | undefined {
  return parentPort === null ? undefined : receiveMessageOnPort(parentPort)?.message as ChannelMessage | undefined
}
// The main thread may be waiting for the hub to come up in an exit handler.
publishHubState(control, 'running')

async function run (): Promise<never> {
  for (;;) {
    const { bytes, fullest } = await drainCycle()
    // Read before the exit flush is served: a flush asked for after it rings again, and ends the wait below.
    const lingerBell = Atomics.load(control, ControlSlot.DOORBELL)
    await serveExitFlush()
    if (bytes > 0 && bytes < SMALL_CYCLE_BYTES && fullest < LINGER_MAX_RING_SHARE) {
      // Records trickle in as fast as the hub takes them: every cycle and every write would carry a
      // handful. Let them pile up a moment instead. Not when a ring gave a large share of itself (a
      // small ring would fill, and its thread block or drop, while the hub waits). The first record
      // after a sleep is not delayed (the doorbell wakes the hub for it); flushes, exit, a producer
      // that finds its ring full and the write that takes a ring past half full ring the doorbell,
      // which ends this wait.
      const wait = Atomics.waitAsync(control, ControlSlot.DOORBELL, lingerBell, LINGER_MS)
      if (wait.async) await wait.value
      continue
    }
    // Let registrations and flush requests (event-loop messages) in between cycles.
    await yieldToEventLoop()
    if (bytes > 0) continue
    const bell = Atomics.load(control, ControlSlot.DOORBELL)
    Atomics.store(control, ControlSlot.HUB_SLEEPING, 1)
    if (anyWork()) continue
    // Woken by producers (ringDoorbell), the main thread's exit flush, or a channel message.
    const wait = Atomics.waitAsync(control, ControlSlot.DOORBELL, bell, IDLE_POLL_MS)
    if (wait.async) await wait.value
  }
}

run().catch(stopHub)
