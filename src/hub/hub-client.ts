import { randomUUID } from 'node:crypto'
import { writeSync } from 'node:fs'
import { BroadcastChannel, isMainThread, threadId } from 'node:worker_threads'
import type { LineDestination } from '../options.ts'
import { RingState, allocateRing } from '../ring/layout.ts'
import { RingReader } from '../ring/ring-reader.ts'
import { RingWriter, type OverflowPolicy } from '../ring/ring-writer.ts'
import { openLocalSink } from '../sink/local-sink.ts'
import { control, ringDoorbell } from './control.ts'
import { HUB_CHANNEL, type ChannelMessage, type RegisterMessage } from './protocol.ts'
import { ensureHub, relayToHub } from './hub-starter.ts'
import type { ProcessInfo } from '../context/process-info.ts'
import type { ResolvedTarget } from './target-spec.ts'

/** How a thread's ring is set up: by the first logger of the thread. */
export interface RingSettings {
  readonly ringSize: number
  readonly overflow: OverflowPolicy
  readonly flushTimeoutMs: number
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

/** How long a worker waits for a hub to claim its ring before it writes its records itself. */
const HUB_ANSWER_TIMEOUT_MS = 2000
const REGISTRATION_RETRY_MS = 100

let link: HubLink | undefined
let channel: BroadcastChannel | undefined

/** The channel to the hub, opened once per thread and never keeping the thread alive. */
export function hubChannel (): BroadcastChannel {
  if (channel === undefined) {
    channel = new BroadcastChannel(HUB_CHANNEL)
    channel.unref()
  }
  return channel
}

/**
 * A worker spawned before the main thread loaded threadlog may find nobody listening: it says so
 * again until the hub claims its ring; after HUB_ANSWER_TIMEOUT_MS it drains its ring itself and
 * writes its records locally from then on.
 */
function awaitClaim (registration: RegisterMessage, switchToLocal: () => void): void {
  const reader = new RingReader(registration.buffer)
  const startedAt = Date.now()
  const timer = setInterval(() => {
    if (reader.state !== RingState.PENDING) {
      clearInterval(timer)
    } else if (Date.now() - startedAt < HUB_ANSWER_TIMEOUT_MS) {
      hubChannel().postMessage(registration)
    } else if (reader.claim(RingState.LOCAL)) {
      clearInterval(timer)
      switchToLocal()
    }
  }, REGISTRATION_RETRY_MS)
  timer.unref()
}

function writeLocally (buffer: SharedArrayBuffer, thread: string): LineDestination {
  writeSync(2, `threadlog: no hub answered in this process (is threadlog loaded in the main thread?); ` +
    `thread ${thread} (${threadId}) writes its records itself\n`)
  const sink = openLocalSink()
  new RingReader(buffer).drain((line) => sink.write(line), Number.POSITIVE_INFINITY)
  return sink
}

/**
 * Connects this thread to the process's hub, once: allocates its ring, registers it, and returns
 * the destination its loggers write to. In the main thread it also starts the hub.
 */
export function connectToHub (settings: RingSettings, thread: string, targets: ResolvedTarget[] | undefined,
  identity: ProcessInfo): HubLink {
  if (isMainThread) ensureHub(targets, identity)
  if (link !== undefined) return link
  const buffer = allocateRing(settings.ringSize)
  const writer = new RingWriter(buffer, {
    overflow: settings.overflow,
    stallTimeoutMs: settings.flushTimeoutMs,
    wakeHub: () => ringDoorbell()
  })
  const registration: RegisterMessage = { type: 'register', id: randomUUID(), buffer, tid: threadId, thread }
  let local: LineDestination | undefined
  const destination: LineDestination = {
    write: (line) => local === undefined ? writer.write(line) : local.write(line)
  }
  const switchToLocal = () => { local = writeLocally(buffer, thread) }
  if (isMainThread) {
    relayToHub(registration)
  } else {
    hubChannel().postMessage(registration satisfies ChannelMessage)
    awaitClaim(registration, switchToLocal)
  }
  const closeOnExit = (exitCode: number) => {
    // Without the control block, no main thread announced a hub: do not wait long for one.
    const timeout = control === undefined ? HUB_ANSWER_TIMEOUT_MS : settings.flushTimeoutMs
    if (!writer.waitUntilClaimed(timeout, () => hubChannel().postMessage(registration))) {
      if (new RingReader(buffer).claim(RingState.LOCAL)) switchToLocal()
    }
    writer.close(exitCode)
  }
  link = { destination, closeOnExit }
  return link
}

/** This thread's link, if a logger of it connected to the hub. */
export function currentLink (): HubLink | undefined {
  return link
}
