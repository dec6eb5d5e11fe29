/**
 * A FIFO of encoded syslog messages bounded in bytes. Taking from the front moves a head index
 * rather than shifting the array, which would copy it for every message of a long outage.
 */
export class FrameQueue {
  #items: Buffer[] = []
  #head = 0
  #bytes = 0

  /** Bytes of the messages queued. */
  get bytes (): number { return this.#bytes }

  get length (): number { return this.#items.length - this.#head }

  /** Adds a message at the end. */
  push (frame: Buffer): void {
    this.#items.push(frame)
    this.#bytes += frame.length
  }

  /** Puts messages back at the front, in their order (those a lost connection did not confirm). */
  unshiftAll (frames: readonly Buffer[]): void {
    if (frames.length === 0) return
    this.#items = [...frames, ...this.#items.slice(this.#head)]
    this.#head = 0
    for (const frame of frames) this.#bytes += frame.length
  }

  /** Takes the first message, or `undefined` when empty. */
  shift (): Buffer | undefined {
    if (this.#head === this.#items.length) return undefined
    const frame = this.#items[this.#head] as Buffer
    this.#items[this.#head++] = EMPTY
    this.#bytes -= frame.length
    // Drop the consumed slots once they are most of the array.
    if (this.#head > 1024 && this.#head * 2 > this.#items.length) {
      this.#items = this.#items.slice(this.#head)
      this.#head = 0
    }
    if (this.#head === this.#items.length) {
      this.#items = []
      this.#head = 0
    }
    return frame
  }

  /** Empties the queue; returns how many messages it held. */
  clear (): number {
    const count = this.length
    this.#items = []
    this.#head = 0
    this.#bytes = 0
    return count
  }
}

const EMPTY = Buffer.alloc(0)
