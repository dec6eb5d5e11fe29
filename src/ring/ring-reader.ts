import {
  CONTINUATION_FLAG, FRAGMENT_FLAG, RING_FRAME_HEADER_BYTES, LENGTH_MASK, RingState, Slot, alignFrame, viewRing,
  type RingMemory
} from './layout.ts'
import type { RecordBatch } from './record-batch.ts'

/** The consuming side of one ring: the hub. */
export class RingReader {
  readonly #ring: RingMemory
  readonly #mask: number
  #fragments: Buffer[] = []
  /** Unfinished records discarded and not counted by their producer: see {@link takeLost}. */
  #lost = 0

  constructor (buffer: SharedArrayBuffer) {
    this.#ring = viewRing(buffer)
    this.#mask = this.#ring.capacity - 1
  }

  /** The ring's data size in bytes. */
  get capacity (): number {
    return this.#ring.capacity
  }

  get state (): number {
    return Atomics.load(this.#ring.header, Slot.STATE)
  }

  get exitCode (): number {
    return Atomics.load(this.#ring.header, Slot.EXIT_CODE)
  }

  /** Claims the ring for this reader; false when someone else (the hub, or its producer) has it. */
  claim (state: typeof RingState.ATTACHED | typeof RingState.LOCAL): boolean {
    const claimed = Atomics.compareExchange(this.#ring.header, Slot.STATE, RingState.PENDING, state) === RingState.PENDING
    // An exiting producer may wait on STATE for its ring to be claimed (RingWriter.waitUntilClaimed).
    if (claimed) Atomics.notify(this.#ring.header, Slot.STATE)
    return claimed
  }

  /** Records published and not yet consumed (a fragmented record counts once, at its last frame). */
  countPending (): number {
    const { header, words } = this.#ring
    const write = Atomics.load(header, Slot.WRITE)
    let count = 0
    for (let read = Atomics.load(header, Slot.READ); read !== write;) {
      const word = words[(read & this.#mask) >> 2] as number
      if ((word & FRAGMENT_FLAG) === 0) count++
      read = (read + alignFrame(RING_FRAME_HEADER_BYTES + (word & LENGTH_MASK))) | 0
    }
    return count
  }

  /** Where the producer has published up to: a snapshot for {@link hasReached}. */
  publishedPosition (): number {
    return Atomics.load(this.#ring.header, Slot.WRITE)
  }

  /** Whether everything published up to `position` has been consumed. */
  hasReached (position: number): boolean {
    return ((Atomics.load(this.#ring.header, Slot.READ) - position) | 0) >= 0
  }

  /** Bytes published and not yet consumed. */
  pendingBytes (): number {
    const { header } = this.#ring
    return (Atomics.load(header, Slot.WRITE) - Atomics.load(header, Slot.READ)) >>> 0
  }

  hasPending (): boolean {
    const { header } = this.#ring
    return Atomics.load(header, Slot.WRITE) !== Atomics.load(header, Slot.READ)
  }

  /** Whether the thread's loggers stamp more than one thread or process name (Slot.NAMES_VARY). */
  get namesVary (): boolean {
    return Atomics.load(this.#ring.header, Slot.NAMES_VARY) === 1
  }

  /** Takes and resets the producer's count of dropped records. */
  takeDropped (): number {
    return Atomics.exchange(this.#ring.header, Slot.DROPPED, 0)
  }

  /**
   * Appends every complete record published so far to `batch`, in order, then frees their room and
   * wakes the producer if it waits for room. Stops early after `maxBytes`, so that one busy ring
   * cannot starve the others. Returns the bytes consumed.
   */
  drain (batch: RecordBatch, maxBytes: number): number {
    const { header, data, words, capacity } = this.#ring
    const write = Atomics.load(header, Slot.WRITE)
    const start = Atomics.load(header, Slot.READ)
    let read = start
    while (read !== write && ((read - start) >>> 0) < maxBytes) {
      const word = words[(read & this.#mask) >> 2] as number
      const length = word & LENGTH_MASK
      const payload = (read + RING_FRAME_HEADER_BYTES) & this.#mask
      read = (read + alignFrame(RING_FRAME_HEADER_BYTES + length)) | 0
      if ((word & CONTINUATION_FLAG) === 0 && this.#fragments.length > 0) this.#discardFragments()
      if ((word & (FRAGMENT_FLAG | CONTINUATION_FLAG)) === 0) {
        const end = payload + length
        if (end <= capacity) batch.appendRecord(data, payload, end)
        else batch.appendRecord(data, payload, capacity, end - capacity)
        continue
      }
      this.#fragments.push(this.#copy(payload, length))
      if ((word & FRAGMENT_FLAG) === 0) {
        const whole = Buffer.concat(this.#fragments)
        this.#fragments = []
        batch.appendRecord(whole, 0, whole.length)
      }
    }
    Atomics.store(header, Slot.READ, read)
    if (Atomics.load(header, Slot.PRODUCER_WAITING) === 1) {
      Atomics.store(header, Slot.PRODUCER_WAITING, 0)
      Atomics.notify(header, Slot.READ)
    }
    return (read - start) >>> 0
  }

  /** An unfinished record is discarded: counted by its producer (ABANDONED), or lost. */
  #discardFragments (): void {
    this.#fragments = []
    const abandoned = this.#ring.header
    if (Atomics.load(abandoned, Slot.ABANDONED) > 0) Atomics.sub(abandoned, Slot.ABANDONED, 1)
    else this.#lost++
  }

  /**
   * Takes the count of records lost in this ring since the last call: unfinished records that their
   * producer did not give up on. With `ended` (the thread is gone and the ring drained), a record still
   * in fragments is discarded first: its thread ended while writing it.
   */
  takeLost (ended = false): number {
    if (ended && this.#fragments.length > 0) this.#discardFragments()
    const lost = this.#lost
    this.#lost = 0
    return lost
  }

  #copy (payload: number, length: number): Buffer {
    const { data, capacity } = this.#ring
    if (payload + length <= capacity) return Buffer.from(data.subarray(payload, payload + length))
    const head = capacity - payload
    return Buffer.concat([data.subarray(payload, capacity), data.subarray(0, length - head)])
  }
}
