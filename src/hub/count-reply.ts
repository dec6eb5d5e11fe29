/**
 * The hub's answer to a timed-out exit flush: how many records are not written, and which targets
 * hold them up. The main thread asking is blocked in its exit handler and can receive no message,
 * so it sends a small SharedArrayBuffer with its `count` question and reads the answer there.
 *
 * ```
 *  Int32 × 3                           UTF-8 JSON, LENGTH bytes (whole entries only)
 *  ┌──────────┬───────────┬────────┐┌──────────────────────────────────────────────┐
 *  │ ANSWERED │ UNWRITTEN │ LENGTH ││ [{"name":"<target>","records":<unfinished>}…] │
 *  └──────────┴───────────┴────────┘└──────────────────────────────────────────────┘
 * ```
 */
const Slot = {
  /** 0 until the hub has answered; the hub notifies it, the main thread waits on it. */
  ANSWERED: 0,
  /** Records taken from rings (or child connections) or still in them that not every target has written. */
  UNWRITTEN: 1,
  /** Bytes of the JSON list of stalled targets. */
  LENGTH: 2
} as const

const HEADER_BYTES = 3 * Int32Array.BYTES_PER_ELEMENT
/** Room for the names of a few dozen targets; a longer list is cut, whole entries only. */
const REPLY_BYTES = 4096

/** A target whose write had not finished: its name, and the records in that write. */
export interface StalledTarget {
  readonly name: string
  readonly records: number
}

export interface CountAnswer {
  readonly unwritten: number
  readonly stalled: readonly StalledTarget[]
}

/** A fresh reply buffer, for one `count` question. */
export function allocateCountReply (): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER_BYTES + REPLY_BYTES)
}

/** The hub's side: stores the answer, then wakes the main thread. */
export function writeCountReply (buffer: SharedArrayBuffer, answer: CountAnswer): void {
  const header = new Int32Array(buffer, 0, 3)
  const data = Buffer.from(buffer, HEADER_BYTES)
  const stalled = [...answer.stalled]
  let json = JSON.stringify(stalled)
  while (Buffer.byteLength(json) > data.length) {
    stalled.pop()
    json = JSON.stringify(stalled)
  }
  Atomics.store(header, Slot.LENGTH, data.write(json))
  Atomics.store(header, Slot.UNWRITTEN, answer.unwritten)
  Atomics.store(header, Slot.ANSWERED, 1)
  // The main thread waits on ANSWERED in awaitCountReply.
  Atomics.notify(header, Slot.ANSWERED)
}

/** The main thread's side: blocks at most `timeoutMs` for the answer; undefined when none came. */
export function awaitCountReply (buffer: SharedArrayBuffer, timeoutMs: number): CountAnswer | undefined {
  const header = new Int32Array(buffer, 0, 3)
  // Notified by writeCountReply, in the hub thread.
  if (Atomics.wait(header, Slot.ANSWERED, 0, timeoutMs) === 'timed-out') return undefined
  const json = Buffer.from(buffer, HEADER_BYTES, Atomics.load(header, Slot.LENGTH)).toString('utf8')
  return { unwritten: Atomics.load(header, Slot.UNWRITTEN), stalled: JSON.parse(json) as StalledTarget[] }
}
