import {
  CONTINUATION_FLAG, FRAGMENT_FLAG, RING_FRAME_HEADER_BYTES, RingState, Slot, alignFrame, viewRing, type RingMemory
} from './layout.ts'

/** What a producer does when its ring is full. */
export type OverflowPolicy = 'block' | 'drop'

export interface RingWriterOptions {
  readonly overflow: OverflowPolicy
  /** How long a blocked producer waits for the hub to make progress before it drops the record. */
  readonly stallTimeoutMs: number
  /**
   * Wakes the hub: after every write if it sleeps (`urgent` false), and before every wait whatever
   * it does (`urgent` true), since a producer out of room must not wait for the hub's own pace.
   */
  readonly wakeHub: (urgent: boolean) => void
}

/** The slice a blocked producer sleeps before it looks again (and wakes the hub again). */
const WAIT_SLICE_MS = 50

/**
 * The producing side of one ring: the thread that logs. Never allocates on the common path: a
 * record is UTF-8-encoded straight into shared memory, then published by one Atomics.store.
 */
export class RingWriter {
  readonly #ring: RingMemory
  readonly #mask: number
  readonly #options: RingWriterOptions

  constructor (buffer: SharedArrayBuffer, options: RingWriterOptions) {
    this.#ring = viewRing(buffer)
    this.#mask = this.#ring.capacity - 1
    this.#options = options
  }

  /** Appends one record; returns false when it was dropped (and counted in Slot.DROPPED). */
  write (line: string): boolean {
    if (this.#writeInOnePass(line)) return true
    const bytes = Buffer.byteLength(line)
    const frame = alignFrame(RING_FRAME_HEADER_BYTES + bytes)
    if (frame > this.#ring.capacity / 2) return this.#writeFragments(Buffer.from(line))
    if (!this.#reserve(frame, this.#options.overflow === 'drop')) {
      Atomics.add(this.#ring.header, Slot.DROPPED, 1)
      return false
    }
    const { header, data, words, capacity } = this.#ring
    const write = Atomics.load(header, Slot.WRITE)
    const start = (write + RING_FRAME_HEADER_BYTES) & this.#mask
    words[(write & this.#mask) >> 2] = bytes
    // The same call as the one-pass write's (it fits: `bytes` was measured), so that V8's feedback
    // for Buffer#write stays one shape and the first record near the ring's end deoptimizes nothing.
    if (start + bytes <= capacity) data.write(line, start)
    else this.#copyWrapped(Buffer.from(line), start)
    this.#publish(write, frame, Atomics.load(header, Slot.READ))
    return true
  }

  /**
   * The common case, without measuring the record first (a whole extra pass over it, about 8 % of a
   * log call): UTF-8 takes at most 3 bytes per UTF-16 unit, so when that much room is free, and
   * contiguous up to the ring's end, the record is encoded straight in and its length is what the
   * encoder wrote. False when the room is not certain; nothing was written then.
   */
  #writeInOnePass (line: string): boolean {
    const { header, data, words, capacity } = this.#ring
    const worst = line.length * 3
    const write = Atomics.load(header, Slot.WRITE)
    const start = (write + RING_FRAME_HEADER_BYTES) & this.#mask
    const read = Atomics.load(header, Slot.READ)
    const free = capacity - ((write - read) >>> 0)
    if (start + worst > capacity || alignFrame(RING_FRAME_HEADER_BYTES + worst) > free || worst > capacity / 2) return false
    const bytes = data.write(line, start)
    words[(write & this.#mask) >> 2] = bytes
    this.#publish(write, alignFrame(RING_FRAME_HEADER_BYTES + bytes), read)
    return true
  }

  /**
   * Makes the frame written at `write` visible to the hub and wakes it if it sleeps. The write that
   * takes the ring past half full wakes it whatever it is doing (it may be letting records pile up),
   * once per crossing rather than on every record of a ring that stays that full. `read`: READ as
   * seen before the write (an older READ only makes the ring look fuller).
   */
  #publish (write: number, frame: number, read: number): void {
    const half = this.#ring.capacity / 2
    Atomics.store(this.#ring.header, Slot.WRITE, (write + frame) | 0)
    const usedBefore = (write - read) >>> 0
    // Both sides computed on every record: an operation first met when the ring crosses half full
    // would deoptimize the whole inlined log call in every thread, and V8 would compile it again.
    const crossed = usedBefore + frame > half
    const wasBelow = usedBefore <= half
    this.#options.wakeHub(crossed && wasBelow)
  }

  /** Marks the ring closed with the thread's exit code: the hub reports it once drained. */
  close (exitCode: number): void {
    Atomics.store(this.#ring.header, Slot.EXIT_CODE, exitCode)
    Atomics.compareExchange(this.#ring.header, Slot.STATE, RingState.ATTACHED, RingState.CLOSED)
    this.#options.wakeHub(false)
  }

  /** The ring's {@link RingState}. */
  get state (): number {
    return Atomics.load(this.#ring.header, Slot.STATE)
  }

  /**
   * Blocks (bounded by `timeoutMs`) until a reader claims the ring, calling `announce` before every
   * slice of waiting: for an exiting thread whose registration nobody has received yet.
   */
  waitUntilClaimed (timeoutMs: number, announce: () => void): boolean {
    const deadline = Date.now() + timeoutMs
    while (this.state === RingState.PENDING) {
      const remaining = deadline - Date.now()
      if (remaining <= 0) return false
      announce()
      // RingReader.claim notifies Slot.STATE.
      Atomics.wait(this.#ring.header, Slot.STATE, RingState.PENDING, Math.min(remaining, WAIT_SLICE_MS))
    }
    return true
  }

  /** Says that a logger of the thread stamps other names than the ring's registration (Slot.NAMES_VARY). */
  markNamesVary (): void {
    Atomics.store(this.#ring.header, Slot.NAMES_VARY, 1)
  }

  /** Bytes not yet consumed by the hub. */
  pendingBytes (): number {
    const { header } = this.#ring
    return (Atomics.load(header, Slot.WRITE) - Atomics.load(header, Slot.READ)) >>> 0
  }

  #reserve (frame: number, mayDrop: boolean): boolean {
    const { header, capacity } = this.#ring
    let read = Atomics.load(header, Slot.READ)
    if (capacity - ((Atomics.load(header, Slot.WRITE) - read) >>> 0) >= frame) return true
    if (mayDrop) return false
    let lastProgress = Date.now()
    for (;;) {
      Atomics.store(header, Slot.PRODUCER_WAITING, 1)
      this.#options.wakeHub(true)
      // The hub notifies Slot.READ after consuming while PRODUCER_WAITING is set.
      Atomics.wait(header, Slot.READ, read, WAIT_SLICE_MS)
      const now = Date.now()
      const current = Atomics.load(header, Slot.READ)
      if (current !== read) lastProgress = now
      read = current
      if (capacity - ((Atomics.load(header, Slot.WRITE) - read) >>> 0) >= frame) return true
      // A hub that makes no progress at all (hung target, dead hub) must not hang the application.
      if (now - lastProgress > this.#options.stallTimeoutMs) return false
    }
  }

  #copyWrapped (bytes: Buffer, start: number): void {
    const { data, capacity } = this.#ring
    const head = capacity - start
    bytes.copy(data, start, 0, head)
    bytes.copy(data, 0, head)
  }

  #writeFragments (bytes: Buffer): boolean {
    // A record larger than half the ring travels in fragments, so that it is delivered whole
    // whatever the ring size; the hub reassembles them. Fragments always wait for room.
    const { header, capacity } = this.#ring
    const chunk = capacity / 4
    for (let offset = 0; offset < bytes.length; offset += chunk) {
      const part = bytes.subarray(offset, offset + chunk)
      const last = offset + chunk >= bytes.length
      const frame = alignFrame(RING_FRAME_HEADER_BYTES + part.length)
      if (!this.#reserve(frame, false)) {
        Atomics.add(header, Slot.DROPPED, 1)
        // Given up midway: the hub discards the fragments it has (no continuation follows), and
        // knows by ABANDONED that this record is counted already. Stored before any later frame.
        if (offset > 0) Atomics.add(header, Slot.ABANDONED, 1)
        return false
      }
      const write = Atomics.load(header, Slot.WRITE)
      const start = (write + RING_FRAME_HEADER_BYTES) & this.#mask
      const flags = (last ? 0 : FRAGMENT_FLAG) | (offset === 0 ? 0 : CONTINUATION_FLAG)
      this.#ring.words[(write & this.#mask) >> 2] = part.length | flags
      if (start + part.length <= capacity) part.copy(this.#ring.data, start)
      else this.#copyWrapped(part, start)
      this.#publish(write, frame, Atomics.load(header, Slot.READ))
    }
    return true
  }
}
