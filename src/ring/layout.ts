/**
 * The shared-memory layout of one ring: a single producer (the thread that logs) and a single
 * consumer (the hub). Both sides agree on these named slots and nothing else.
 *
 * ```
 *  SharedArrayBuffer
 *  ┌────────────────────────────── header: Int32 × HEADER_SLOTS ────────────────────────────┐┌──── data: capacity bytes ────┐
 *  │ WRITE │ READ │ STATE │ EXIT_CODE │ DROPPED │ PRODUCER_WAITING │ ABANDONED │ NAMES_VARY ││ frame frame … (wraps around) │
 *  └────────────────────────────────────────────────────────────────────────────────────────┘└──────────────────────────────┘
 *  frame = word (payload byte length | fragment flags) + payload (UTF-8), padded to 4 bytes
 * ```
 *
 * WRITE and READ count bytes ever written/consumed, modulo 2^32; the capacity is a power of two,
 * so `position = counter & (capacity - 1)` stays right across the wrap of the counters, and the
 * bytes in use are `(WRITE - READ) >>> 0`. Only the producer stores WRITE, only the hub stores READ.
 */
export const Slot = {
  /** Bytes the producer has published (frames complete up to here). Stored by the producer. */
  WRITE: 0,
  /** Bytes the hub has consumed. Stored by the hub, which notifies it when PRODUCER_WAITING is set. */
  READ: 1,
  /** A {@link RingState}. */
  STATE: 2,
  /** The thread's exit code, valid once STATE is CLOSED. */
  EXIT_CODE: 3,
  /** Records dropped under `overflow: 'drop'` and not yet reported; the hub swaps it back to 0. */
  DROPPED: 4,
  /** 1 while the producer sleeps in Atomics.wait on READ, waiting for room. */
  PRODUCER_WAITING: 5,
  /**
   * Fragmented records the producer gave up on midway (a stalled hub), already counted in DROPPED.
   * The hub takes one for every unfinished record it discards; one it cannot take was cut by the
   * thread's end (worker.terminate() while the record was being written): lost, not dropped.
   */
  ABANDONED: 6,
  /**
   * 1 once a logger of the thread stamps another thread or process name than the ring was registered
   * with (the `threadName` and `name` options): the hub can then no longer tell a record's names by its
   * ring. Stored before that logger writes anything.
   */
  NAMES_VARY: 7
} as const

export const HEADER_SLOTS = 8
export const HEADER_BYTES = HEADER_SLOTS * Int32Array.BYTES_PER_ELEMENT

/** Lifecycle of a ring, in Slot.STATE. */
export const RingState = {
  /** Created, its registration not yet seen by the hub. */
  PENDING: 0,
  /** The hub drains it. */
  ATTACHED: 1,
  /** The producer thread exited normally and wrote its exit code. */
  CLOSED: 2,
  /** No hub answered: the producer drains its ring itself and writes its records locally. */
  LOCAL: 3
} as const

/** Bytes of the word in front of every frame. */
export const RING_FRAME_HEADER_BYTES = 4
/** Set on every fragment of a record too large for the ring except the last one: more follow. */
export const FRAGMENT_FLAG = 0x4000_0000
/** Set on every fragment but the first: a frame without it starts a new record. */
export const CONTINUATION_FLAG = 0x2000_0000
export const LENGTH_MASK = 0x1fff_ffff

/** Frames start on 4-byte boundaries, so a frame's header word never straddles the wrap. */
export function alignFrame (bytes: number): number {
  return (bytes + 3) & ~3
}

export const MIN_RING_SIZE = 4 * 1024
export const MAX_RING_SIZE = 1024 * 1024 * 1024
export const DEFAULT_RING_SIZE = 1024 * 1024

/** A ring's shared memory, as both sides view it. */
export interface RingMemory {
  readonly header: Int32Array
  readonly data: Buffer
  /**
   * The data as 32-bit words, for the frame words: frames start on 4-byte boundaries, so the word
   * of the frame at byte `position` is `words[position >> 2]`. An indexed store is what the
   * producer pays per record instead of writeUInt32LE's argument checks; both sides use this view,
   * so they agree on the byte order.
   */
  readonly words: Int32Array
  readonly capacity: number
}

/**
 * A ring's memory. It is a growable SharedArrayBuffer (that never grows) on purpose: V8 maps a
 * growable buffer straight from the OS (pages come zeroed, become resident only when written, and
 * are unmapped when the buffer is collected), while a fixed-size one comes from malloc (calloc). Once
 * glibc has freed one mmapped ring it raises its mmap threshold above the ring size (its dynamic
 * threshold, and the trim threshold with it), and from then on rings are carved out of the per-thread
 * malloc arenas: a freed ring stays resident in its arena, a reused one is zeroed by hand, and with
 * threads coming and going the arenas only grow. A process that keeps spawning short-lived logging
 * workers grew by ~25–30 MB per 100 workers with the default 1 MiB ring (~3 MB per worker with
 * 8 MiB rings; flat with MALLOC_MMAP_THRESHOLD_ pinned), and stays flat with this
 * (bench/churn.bench.ts). Side effect: process.memoryUsage().arrayBuffers no longer counts rings.
 */
export function allocateRing (capacity: number): SharedArrayBuffer {
  const bytes = HEADER_BYTES + capacity
  return new SharedArrayBuffer(bytes, { maxByteLength: bytes })
}

/** A ring's {@link RingState}, read without building views over the whole ring. */
export function readRingState (buffer: SharedArrayBuffer): number {
  return Atomics.load(new Int32Array(buffer, 0, HEADER_SLOTS), Slot.STATE)
}

export function viewRing (buffer: SharedArrayBuffer): RingMemory {
  const capacity = buffer.byteLength - HEADER_BYTES
  return {
    header: new Int32Array(buffer, 0, HEADER_SLOTS),
    data: Buffer.from(buffer, HEADER_BYTES, capacity),
    words: new Int32Array(buffer, HEADER_BYTES, capacity / Int32Array.BYTES_PER_ELEMENT),
    capacity
  }
}
