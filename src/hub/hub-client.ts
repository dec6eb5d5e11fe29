import { writeSync } from '../node-fs.ts'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { BroadcastChannel, isMainThread, threadId } from 'node:worker_threads'
import { packageFileUrl } from '../package-files.ts'
import type { LineDestination } from '../options.ts'
import { RingState, allocateRing } from '../ring/layout.ts'
import { RecordBatch } from '../ring/record-batch.ts'
import { RingReader } from '../ring/ring-reader.ts'
import { RingWriter, type OverflowPolicy } from '../ring/ring-writer.ts'
import { adoptFilterBlock } from '../filter/filter-block.ts'
import { adoptControlBlock, controlBlock, ringDoorbell } from './control.ts'
import { HUB_CHANNEL, nextMessageId, type ChannelMessage, type RegisterMessage } from './protocol.ts'
import { ensureHub, relayToHub, wakeMainReader } from './hub-starter.ts'
import type { ProcessInfo } from '../context/process-info.ts'
import type { HubRecordSettings } from './hub-records.ts'
import type { ResolvedTarget } from '../targets/target-spec.ts'

/** How a thread's ring is set up: by the first logger of the thread. */
export interface RingSettings {
  readonly ringSize: number
  readonly overflow: OverflowPolicy
  readonly flushTimeoutMs: number
}

/** What the first main-thread logger decides for the whole process. */
export interface HubSettings extends RingSettings {
  /** Whether child processes started from now on relay their records to this process tree's hub; undefined: not said. */
  readonly exportHub: boolean | undefined
  /** Whether a root hub registers for `threadlog ps`; undefined: THREADLOG_REGISTRY decides. */
  readonly registry: boolean | undefined
}

/** This thread's link to the hub. */
export interface HubLink {
  readonly destination: LineDestination
  /**
   * For a worker's `exit`: makes sure the hub has its ring (announcing it again if need be, since a
   * hub still starting may have missed it), then marks it closed with the exit code.
   */
  readonly closeOnExit: (exitCode: number) => void
}

/**
 * How long a worker waits for a hub to claim its ring before it writes its records itself: long
 * enough for a busy main thread to load threadlog and start the hub (2 s was not, under load).
 */
const HUB_ANSWER_TIMEOUT_MS = 5000
const REGISTRATION_RETRY_MS = 100

let link: HubLink | undefined
/** The names the ring was registered with, and its writer. */
let registered: { readonly thread: string, readonly proc: string, readonly writer: RingWriter } | undefined
let channel: BroadcastChannel | undefined

/**
 * The channel to the hub, opened once per thread and never keeping the thread alive: for a thread
 * that also listens to it (flushAll). Mind that an open channel receives, and deserializes, every
 * message any thread of the process posts on it; a thread that only has something to say uses
 * {@link postToHub}.
 */
export function hubChannel (): BroadcastChannel {
  if (channel === undefined) {
    channel = new BroadcastChannel(HUB_CHANNEL)
    channel.unref()
  }
  return channel
}

/**
 * Posts one message to the hub (and the main thread) on a channel closed right after: delivery
 * happens at post time. Every worker used to keep `hubChannel()` open for its registration, and so
 * received every other thread's registration too, each time a copy of the message and a reference
 * to that thread's ring in its own heap until its next GC or its exit: O(live threads) receptions
 * per message, and rings kept alive by unrelated threads.
 */
export function postToHub (message: ChannelMessage): void {
  if (channel !== undefined) {
    channel.postMessage(message)
    return
  }
  const once = new BroadcastChannel(HUB_CHANNEL)
  once.postMessage(message)
  once.close()
}

/**
 * A worker spawned before the main thread loaded threadlog may find nobody listening: it says so
 * again until the hub claims its ring; after HUB_ANSWER_TIMEOUT_MS it claims the ring itself (then
 * `gaveUp` runs) and writes its records locally from then on.
 */
function awaitClaim (registration: RegisterMessage, gaveUp: () => void): void {
  const reader = new RingReader(registration.buffer)
  const startedAt = Date.now()
  const timer = setInterval(() => {
    if (reader.state !== RingState.PENDING) {
      clearInterval(timer)
    } else if (Date.now() - startedAt < HUB_ANSWER_TIMEOUT_MS) {
      postToHub(registration)
    } else if (reader.claim(RingState.LOCAL)) {
      clearInterval(timer)
      gaveUp()
    }
  }, REGISTRATION_RETRY_MS)
  timer.unref()
}

/**
 * The local sink's module, loaded on first use, synchronously (require of an ES module without
 * top-level await), since the exit path may need it. It pulls in the pretty printer (chalk, pino's
 * transport helpers): imported eagerly, it was about a quarter of what importing threadlog costs a
 * worker (measured on a 2-core VM: median 70 → 53 ms), paid by every worker for a path taken only
 * when the main thread never loaded threadlog.
 */
function loadLocalSink (): typeof import('../sink/local-sink.ts') {
  return createRequire(import.meta.url)(fileURLToPath(packageFileUrl('localSink'))) as
    typeof import('../sink/local-sink.ts')
}

function writeLocally (buffer: SharedArrayBuffer, thread: string): LineDestination {
  writeSync(2, `threadlog: no hub answered in this process (is threadlog loaded in the main thread?); ` +
    `thread ${thread} (${threadId}) writes its records itself\n`)
  return drainToLocalSink(buffer)
}

/** The local sink, after the records the ring holds. */
function drainToLocalSink (buffer: SharedArrayBuffer): LineDestination {
  const sink = loadLocalSink().openLocalSink()
  const batch = new RecordBatch()
  new RingReader(buffer).drain(batch, Number.POSITIVE_INFINITY)
  for (const line of batch.lines()) sink.write(line)
  return sink
}

/**
 * Hands the ring to the hub: relayed by the main thread, posted (and announced again until claimed)
 * by a worker. Returns where an orphan worker writes meanwhile (see {@link isOrphan}).
 */
function announceRing (registration: RegisterMessage, switchToLocal: () => void): LineDestination | undefined {
  if (isMainThread) {
    relayToHub(registration)
    return undefined
  }
  postToHub(registration)
  if (!isOrphan()) {
    awaitClaim(registration, switchToLocal)
    return undefined
  }
  writeSync(2, `threadlog: the main thread had not loaded threadlog when thread ${registration.thread} (${threadId}) started; ` +
    'it writes its records itself until a hub takes them\n')
  awaitClaim(registration, () => {})
  return drainToLocalSink(registration.buffer)
}

/**
 * How long a worker that inherited no blocks waits for a main thread to say it will send them: the
 * main thread answers from its event loop, in well under a millisecond when idle, but 50 ms was
 * missed on a loaded 2-core VM. A busy one, or a main thread without threadlog (where every such
 * worker pays this once, at its first logger), makes the worker an orphan (below) until a hub takes its ring.
 */
const BLOCKS_ANSWER_MS = 200
/** A main thread said it sends this thread the blocks (they may still be on their way). */
let blocksPromised = false

/**
 * A worker spawned after the main thread imported threadlog but before it made a logger (or a
 * worker) inherited no blocks: it asks for them on the hub channel, and takes them when they come.
 */
function requestBlocks (): void {
  if (isMainThread || controlBlock() !== undefined) return
  const reply = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT))
  // A channel of its own, closed once the blocks came: a worker's open channel hears every message.
  const answers = new BroadcastChannel(HUB_CHANNEL)
  answers.unref()
  answers.onmessage = (event) => {
    const message = (event as unknown as { data: ChannelMessage }).data
    if (message.type !== 'blocks') return
    adoptControlBlock(message.control)
    adoptFilterBlock(message.filter)
    answers.close()
  }
  postToHub({ type: 'blocks-request', reply: reply.buffer as SharedArrayBuffer })
  // The main thread sets and notifies it in hub-starter.ts (sendBlocks).
  Atomics.wait(reply, 0, 0, BLOCKS_ANSWER_MS)
  blocksPromised = Atomics.load(reply, 0) === 1
  if (!blocksPromised) answers.close()
}

/**
 * A worker whose main thread had not loaded threadlog when it spawned it (no control block), and
 * may never do (a piscina pool's main only runs tasks): nobody could read a ring that
 * worker.terminate() leaves behind, and an exit would wait for a hub that may never come. It writes
 * its records itself at once until a hub takes its ring; from then on they go through the hub.
 */
function isOrphan (): boolean {
  return !isMainThread && controlBlock() === undefined && !blocksPromised
}

/**
 * Connects this thread to the process's hub, once: allocates its ring, registers it, and returns
 * the destination its loggers write to. In the main thread it also starts the hub.
 */
export function connectToHub (settings: HubSettings, thread: string, targets: ResolvedTarget[] | undefined,
  identity: ProcessInfo, records?: HubRecordSettings): HubLink {
  if (isMainThread) ensureHub(targets, identity, settings.exportHub, records, settings.flushTimeoutMs, settings.registry)
  if (link !== undefined) {
    // Attach clients select a ring's records by its thread's names unless told they vary.
    if (registered !== undefined && (registered.thread !== thread || registered.proc !== identity.proc)) registered.writer.markNamesVary()
    return link
  }
  requestBlocks()
  const buffer = allocateRing(settings.ringSize)
  const writer = new RingWriter(buffer, {
    overflow: settings.overflow,
    stallTimeoutMs: settings.flushTimeoutMs,
    wakeHub: isMainThread ? wakeMainReader : (urgent) => ringDoorbell(controlBlock(), urgent)
  })
  const registration: RegisterMessage = { type: 'register', id: nextMessageId(), buffer, tid: threadId, thread, proc: identity.proc, time: Date.now() }
  let local: LineDestination | undefined
  const destination: LineDestination = {
    write: (line) => {
      if (local === undefined) return writer.write(line)
      // An orphan worker whose ring a hub has taken since: its records go through the hub now.
      if (writer.state === RingState.ATTACHED) {
        local = undefined
        return writer.write(line)
      }
      return local.write(line)
    }
  }
  const switchToLocal = () => { local = writeLocally(buffer, thread) }
  local = announceRing(registration, switchToLocal)
  const closeOnExit = (exitCode: number) => {
    if (isOrphan()) {
      // Unclaimed: keep a hub from claiming it later. Claimed: the hub reports the exit.
      if (!new RingReader(buffer).claim(RingState.LOCAL)) writer.close(exitCode)
      return
    }
    if (!writer.waitUntilClaimed(settings.flushTimeoutMs, () => postToHub(registration))) {
      if (new RingReader(buffer).claim(RingState.LOCAL)) switchToLocal()
    }
    writer.close(exitCode)
  }
  link = { destination, closeOnExit }
  registered = { thread, proc: identity.proc, writer }
  return link
}
