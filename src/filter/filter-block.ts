import { getEnvironmentData, isMainThread, setEnvironmentData } from 'node:worker_threads'

/**
 * The process-wide filter block: the directives `setFilter` set last, and which thread has applied
 * them. Every thread with a logger reads it; `setFilter` (in any thread) writes it.
 *
 * ```
 *  SharedArrayBuffer
 *  ┌─ header: Int32 × HEADER_SLOTS ──────────┐┌─ threads: Int32 × 2 × MAX_THREADS ──┐┌─ text: MAX_TEXT_BYTES ─┐
 *  │ GENERATION │ TEXT_BYTES │ ACKS │ ·      ││ (TID + 1 | 0 = free), APPLIED  …    ││ UTF-8 directives       │
 *  └─────────────────────────────────────────┘└─────────────────────────────────────┘└────────────────────────┘
 * ```
 *
 * GENERATION is a sequence lock: odd while a writer changes the text, even (2 × the number of
 * setFilter calls) once done. A thread with loggers takes a thread slot, stores in APPLIED the last
 * generation it applied, and bumps and notifies ACKS: `setFilter` waits on ACKS. New text is
 * announced on {@link FILTER_CHANNEL}; a thread busy in synchronous code sees GENERATION change at
 * its next enabled log call instead.
 */
export const FilterSlot = {
  /** Even: the generation of the text; odd: a writer is changing it. 0: setFilter never called. */
  GENERATION: 0,
  /** Bytes of the text. */
  TEXT_BYTES: 1,
  /** Bumped and notified by a thread after it stored APPLIED. setFilter waits on it. */
  ACKS: 2
} as const

const HEADER_SLOTS = 4
/** Threads whose application setFilter waits for; further threads apply all the same, unawaited. */
export const MAX_THREADS = 1024
export const MAX_TEXT_BYTES = 64 * 1024
const THREADS_OFFSET = HEADER_SLOTS
const TEXT_OFFSET = (HEADER_SLOTS + 2 * MAX_THREADS) * Int32Array.BYTES_PER_ELEMENT

const FILTER_KEY = 'threadlog:filter'

/**
 * The channel on which setFilter tells every thread of the process to look at the block: its
 * messages carry the new generation only (a number), so that receiving one costs next to nothing.
 */
export const FILTER_CHANNEL = 'threadlog:filter:v1'

/**
 * How many times a reader or writer looks again at an odd GENERATION. A write takes microseconds;
 * one still odd after this many looks was cut short (its thread terminated mid-write) and is
 * taken over by the next writer, while a reader gives up until its next try.
 */
const MAX_SPINS = 100_000

let block: Int32Array | undefined
let lookedUp = false

/**
 * The filter block of this process: made by the main thread when it first needs it (never when
 * threadlog is imported), inherited by workers spawned afterwards; undefined in a worker spawned before.
 */
export function filterBlock (): Int32Array | undefined {
  if (block !== undefined || (lookedUp && !isMainThread)) return block
  lookedUp = true
  if (isMainThread) {
    const buffer = new SharedArrayBuffer(TEXT_OFFSET + MAX_TEXT_BYTES)
    setEnvironmentData(FILTER_KEY, buffer)
    block = new Int32Array(buffer)
    return block
  }
  const inherited = getEnvironmentData(FILTER_KEY)
  if (inherited instanceof SharedArrayBuffer) block = new Int32Array(inherited)
  return block
}

/** A worker that inherited no block takes the one the main thread sent it (hub-client.ts). */
export function adoptFilterBlock (buffer: SharedArrayBuffer): void {
  block ??= new Int32Array(buffer)
}

/** The generation this process's filter is at: compare with the one a thread last applied. */
export function filterGeneration (block: Int32Array): number {
  return Atomics.load(block, FilterSlot.GENERATION)
}

/** Takes the write lock (GENERATION odd); returns the even generation it was at. */
function lockForWriting (block: Int32Array): number {
  for (let spins = 0; ; spins++) {
    const seen = Atomics.load(block, FilterSlot.GENERATION)
    if ((seen & 1) === 1 && spins < MAX_SPINS) continue
    // An odd generation seen for so long is an abandoned write: its lock is taken over as it is.
    const generation = seen & ~1
    if (Atomics.compareExchange(block, FilterSlot.GENERATION, seen, generation + 1) === seen) return generation
  }
}

/** Writes new directives; returns their generation. Writers take the lock in turn (they hold it for microseconds). */
export function writeFilterText (block: Int32Array, text: string): number {
  const bytes = Buffer.from(text, 'utf8')
  if (bytes.length > MAX_TEXT_BYTES) throw new RangeError(`threadlog: setFilter: directives longer than ${MAX_TEXT_BYTES} bytes`)
  const generation = lockForWriting(block)
  Buffer.from(block.buffer, TEXT_OFFSET, MAX_TEXT_BYTES).set(bytes)
  Atomics.store(block, FilterSlot.TEXT_BYTES, bytes.length)
  Atomics.store(block, FilterSlot.GENERATION, generation + 2)
  return generation + 2
}

/**
 * The text and its generation; undefined when setFilter was never called, or a write is still
 * under way after MAX_SPINS looks (the caller tries again later). Read again while a writer is busy.
 */
export function readFilterText (block: Int32Array): { text: string, generation: number } | undefined {
  for (let spins = 0; spins < MAX_SPINS; spins++) {
    const generation = Atomics.load(block, FilterSlot.GENERATION)
    if (generation === 0) return undefined
    if ((generation & 1) === 1) continue
    const length = Atomics.load(block, FilterSlot.TEXT_BYTES)
    const text = Buffer.from(block.buffer, TEXT_OFFSET, length).toString('utf8')
    if (Atomics.load(block, FilterSlot.GENERATION) === generation) return { text, generation }
  }
  return undefined
}

/** Takes a free thread slot for `tid`; -1 when all are taken. */
export function takeThreadSlot (block: Int32Array, tid: number): number {
  for (let slot = 0; slot < MAX_THREADS; slot++) {
    if (Atomics.compareExchange(block, THREADS_OFFSET + 2 * slot, 0, tid + 1) === 0) return slot
  }
  return -1
}

/** Frees the slot of a thread that exited, looked up by its tid (its parent may not know the slot). */
export function releaseThreadSlot (block: Int32Array, tid: number): void {
  for (let slot = 0; slot < MAX_THREADS; slot++) {
    const index = THREADS_OFFSET + 2 * slot
    if (Atomics.load(block, index) === tid + 1) {
      Atomics.store(block, index + 1, 0)
      Atomics.compareExchange(block, index, tid + 1, 0)
    }
  }
  Atomics.add(block, FilterSlot.ACKS, 1)
  Atomics.notify(block, FilterSlot.ACKS)
}

/** A thread has applied `generation`: setFilter, waiting on ACKS, looks again. */
export function acknowledge (block: Int32Array, slot: number, generation: number): void {
  if (slot >= 0) Atomics.store(block, THREADS_OFFSET + 2 * slot + 1, generation)
  Atomics.add(block, FilterSlot.ACKS, 1)
  Atomics.notify(block, FilterSlot.ACKS)
}

/** The tids of threads that have not applied `generation` yet. */
export function threadsBehind (block: Int32Array, generation: number): number[] {
  const behind: number[] = []
  for (let slot = 0; slot < MAX_THREADS; slot++) {
    const index = THREADS_OFFSET + 2 * slot
    const tid = Atomics.load(block, index) - 1
    if (tid >= 0 && Atomics.load(block, index + 1) < generation) behind.push(tid)
  }
  return behind
}

/** Resolves once every thread with a slot has applied `generation`; the tids still behind at the deadline otherwise. */
export async function awaitThreads (block: Int32Array, generation: number, timeoutMs: number): Promise<number[]> {
  const deadline = Date.now() + timeoutMs
  // A pending Atomics.waitAsync does not keep a thread alive: `await setFilter()` as a program's
  // last statement must not end the program before the other threads have answered.
  const keepAlive = setTimeout(() => {}, timeoutMs)
  try {
    for (;;) {
      const acks = Atomics.load(block, FilterSlot.ACKS)
      const behind = threadsBehind(block, generation)
      if (behind.length === 0 || Date.now() >= deadline) return behind
      // Notified by acknowledge() and releaseThreadSlot(), from the threads that apply or exit.
      const wait = Atomics.waitAsync(block, FilterSlot.ACKS, acks, deadline - Date.now())
      if (wait.async) await wait.value
    }
  } finally {
    clearTimeout(keepAlive)
  }
}
