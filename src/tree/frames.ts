import { isUtf8 } from 'node:buffer'

/**
 * The wire format between a child process's hub and the root hub, over a unix socket.
 *
 * ```
 *  ┌─────────────────────┬──────────┬──────────────────────────────┐
 *  │ payload length: u32 │ type: u8 │ payload (length bytes)       │
 *  │ big-endian          │          │                              │
 *  └─────────────────────┴──────────┴──────────────────────────────┘
 *  child → root: HELLO (JSON), then RECORDS (whole NDJSON lines), SYNC (JSON), EXIT (JSON),
 *                FILTER_APPLIED (JSON { id }) once every thread of the child applied a FILTER
 *  root → child: SYNCED (JSON), answering a SYNC or an EXIT once the records before it are written;
 *                REFUSED (text: why), right before the root closes a connection that broke the protocol;
 *                FILTER (JSON { id, text }): setFilter's directives, also sent after HELLO once set;
 *                STATUS (JSON { id }): `threadlog ps` asks, answered by STATUS_REPORT (JSON { id, threads, … })
 *
 *  attach client → root (its own socket, src/live/attach-server.ts): ATTACH (JSON {@link AttachRequest})
 *                or STATUS (JSON { id }), first; STATUS again at any time
 *  root → attach client: ATTACHED (JSON { filter }) once a `set` is in force, then RECORDS (what the
 *                hub's targets got, and what only the overlay raised), SELECTED (records as RECORDS, of
 *                threads the hub selected by their ring for the client's `--thread`, `--pid`, `--proc`:
 *                the client tests its other options only), MISSED (JSON { records }) once its
 *                socket drained (or before its next RECORDS) after records its buffer could not hold;
 *                ENDED (JSON { records }: missed since MISSED last said) last, once the tree's records are all sent, when the root exits:
 *                a stream that ends without it lost the records the root still held for that client;
 *                STATUS_REPORT; REFUSED
 * ```
 *
 * A RECORDS frame carries whole records only: a record is delivered whole or not at all, and frames
 * of different connections are never mixed since the root handles each connection apart.
 */
/** What a frame carries; its number is the header's type byte. */
export const FrameType = {
  HELLO: 1, RECORDS: 2, SYNC: 3, EXIT: 4, SYNCED: 5, REFUSED: 6, FILTER: 7, FILTER_APPLIED: 8,
  ATTACH: 9, ATTACHED: 10, STATUS: 11, STATUS_REPORT: 12, MISSED: 13, SELECTED: 14, ENDED: 15
} as const
export type FrameType = typeof FrameType[keyof typeof FrameType]

export const FRAME_HEADER_BYTES = 5
/**
 * The largest payload either side accepts. A peer announcing more is broken or hostile, and the
 * root would otherwise buffer whatever it claims; a single record larger than this is written by the
 * child itself (see relay-target.ts).
 */
export const MAX_FRAME_BYTES = 32 * 1024 * 1024
/** Sent in HELLO; the root refuses a child speaking another version. */
export const PROTOCOL_VERSION = 1
/** Sent in ATTACH; the root refuses a client speaking another version (2: SELECTED and ENDED frames). */
export const ATTACH_PROTOCOL_VERSION = 2

/** Who a connected child is, as its HELLO says. */
export interface Hello {
  readonly v: number
  readonly pid: number
  readonly ppid: number
  readonly proc: string
  readonly worker?: number
}

/** A child's last word: how its process is ending. `id` is answered by a SYNCED. */
export interface ExitReport {
  readonly id: number
  readonly exitCode?: number
  readonly signal?: string
}

export interface Frame {
  readonly type: FrameType
  readonly payload: Buffer
}

/** A peer broke the protocol; the connection is closed and reported with this message. */
export class FrameError extends Error {}

/** One frame, header and payload (a string is encoded as UTF-8, bytes are copied), ready for `socket.write`. */
export function encodeFrame (type: FrameType, payload: string | Buffer): Buffer {
  const length = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + length)
  frame.writeUInt32BE(length, 0)
  frame.writeUInt8(type, 4)
  if (typeof payload === 'string') frame.write(payload, FRAME_HEADER_BYTES)
  else payload.copy(frame, FRAME_HEADER_BYTES)
  return frame
}

const KNOWN_TYPES = new Set<number>(Object.values(FrameType))

/**
 * Cuts a byte stream into frames. Holds at most one partial frame (≤ MAX_FRAME_BYTES + header), and
 * copies it once, when it is complete; throws a {@link FrameError} on the first header that cannot
 * start a valid frame.
 */
export class FrameDecoder {
  readonly #maxFrameBytes: number
  #pending: Buffer[] = []
  #pendingBytes = 0
  /** Bytes the next frame needs in all: until they are here, chunks are only collected, not copied. */
  #needed = FRAME_HEADER_BYTES

  /** @param maxFrameBytes the largest payload accepted: a peer that should only send small frames gets a lower cap. */
  constructor (maxFrameBytes = MAX_FRAME_BYTES) {
    this.#maxFrameBytes = maxFrameBytes
  }

  /** Frames completed by this chunk, in order. */
  push (chunk: Buffer): Frame[] {
    this.#pending.push(chunk)
    this.#pendingBytes += chunk.length
    if (this.#pendingBytes < this.#needed) return []
    const buffer = this.#pending.length === 1 ? chunk : Buffer.concat(this.#pending, this.#pendingBytes)
    const frames: Frame[] = []
    let offset = 0
    this.#needed = FRAME_HEADER_BYTES
    while (buffer.length - offset >= FRAME_HEADER_BYTES) {
      const length = buffer.readUInt32BE(offset)
      const type = buffer.readUInt8(offset + 4)
      if (!KNOWN_TYPES.has(type)) throw new FrameError(`unknown frame type ${type}`)
      if (length > this.#maxFrameBytes) throw new FrameError(`frame of ${length} bytes exceeds ${this.#maxFrameBytes}`)
      const end = offset + FRAME_HEADER_BYTES + length
      if (end > buffer.length) {
        this.#needed = FRAME_HEADER_BYTES + length
        break
      }
      frames.push({ type: type as FrameType, payload: buffer.subarray(offset + FRAME_HEADER_BYTES, end) })
      offset = end
    }
    const rest = buffer.subarray(offset)
    this.#pending = rest.length === 0 ? [] : [rest]
    this.#pendingBytes = rest.length
    return frames
  }

  /** Bytes of an incomplete frame: non-zero when the peer hung up mid-frame. */
  get pendingBytes (): number {
    return this.#pendingBytes
  }

  /**
   * The whole lines at the start of an incomplete RECORDS frame: a peer killed while its frame was
   * half written had handed those records to the kernel whole, and they are worth keeping.
   */
  wholeLinesOfPartialRecords (): Buffer | undefined {
    const pending = this.#pending.length === 1 ? this.#pending[0] : Buffer.concat(this.#pending, this.#pendingBytes)
    if (pending === undefined || pending.length <= FRAME_HEADER_BYTES || pending.readUInt8(4) !== FrameType.RECORDS) return undefined
    const end = pending.lastIndexOf(0x0a) + 1
    return end <= FRAME_HEADER_BYTES ? undefined : pending.subarray(FRAME_HEADER_BYTES, end)
  }
}

/**
 * Checks the payload of a RECORDS frame and counts its records: UTF-8, whole lines each ending in
 * `\n`, each looking like a serialized record (an object). Anything else is a peer that is not a
 * threadlog hub. The bytes themselves go to the targets as they are.
 */
export function countRecords (payload: Buffer): number {
  if (payload.length === 0 || payload[payload.length - 1] !== 0x0a) throw new FrameError('records frame does not end with a newline')
  if (!isUtf8(payload)) throw new FrameError('records frame is not UTF-8')
  let count = 0
  for (let start = 0; start < payload.length; start = payload.indexOf(0x0a, start) + 1) {
    count++
    if (payload[start] !== 0x7b) throw new FrameError(`record ${count} is not a JSON object`)
  }
  return count
}

/** A JSON control frame (HELLO, SYNC, EXIT, SYNCED), checked for the fields it must have. */
export function parseControl<T> (payload: Buffer, isValid: (value: Record<string, unknown>) => boolean, what: string): T {
  let value: unknown
  try {
    value = JSON.parse(payload.toString('utf8'))
  } catch {
    throw new FrameError(`${what} frame is not JSON`)
  }
  if (value === null || typeof value !== 'object' || !isValid(value as Record<string, unknown>)) {
    throw new FrameError(`${what} frame is malformed`)
  }
  return value as T
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0

/** Checks a parsed HELLO: this protocol version, a pid, a ppid, a process name, an optional cluster worker id. */
export const isHello = (value: Record<string, unknown>): boolean =>
  value.v === PROTOCOL_VERSION && isCount(value.pid) && isCount(value.ppid) && typeof value.proc === 'string' &&
  (value.worker === undefined || isCount(value.worker))

/** Checks a parsed SYNC or SYNCED: an id. */
export const isSync = (value: Record<string, unknown>): boolean => isCount(value.id)

/** Checks a parsed EXIT: an id, and an exit code or a signal name when the child knew how it ends. */
export const isExitReport = (value: Record<string, unknown>): boolean =>
  isCount(value.id) && (value.exitCode === undefined || Number.isSafeInteger(value.exitCode)) &&
  (value.signal === undefined || typeof value.signal === 'string')

/**
 * What an attach client asks for in its ATTACH frame. `stream`: send it the live records (`attach`);
 * without, it only sets a filter (`threadlog set`). `set`: directives for the whole tree while the
 * client stays (`keep`: also after); `toTargets`: the records only they raise reach the service's targets too.
 */
export interface AttachRequest {
  readonly v: number
  readonly stream: boolean
  readonly set?: string
  readonly keep?: boolean
  readonly toTargets?: boolean
  /**
   * The client's selecting options as it was given them (`--level`, `--thread`, `--pid`, `--proc`,
   * `--since`, `--until`, `--filter`): the hub sends only the records their byte tests may pass, and
   * the client selects exactly among those. Absent when the client needs every record (context lines).
   */
  readonly select?: Readonly<Partial<Record<typeof SELECT_KEYS[number], string>>>
}

/** The selecting options an attach client may hand the hub. */
export const SELECT_KEYS = ['level', 'thread', 'pid', 'proc', 'since', 'until', 'filter'] as const

const isSelect = (value: unknown): boolean => value === undefined || (typeof value === 'object' && value !== null &&
  Object.entries(value).every(([key, text]) => (SELECT_KEYS as readonly string[]).includes(key) && typeof text === 'string'))

const isOptional = (value: unknown, type: 'string' | 'boolean'): boolean => value === undefined || typeof value === type

/** Checks a parsed ATTACH. */
export const isAttachRequest = (value: Record<string, unknown>): boolean =>
  value.v === ATTACH_PROTOCOL_VERSION && typeof value.stream === 'boolean' && isOptional(value.set, 'string') &&
  isOptional(value.keep, 'boolean') && isOptional(value.toTargets, 'boolean') && isSelect(value.select)

/** What a child process tells the root of itself for `threadlog ps`: counts its own hub keeps. */
export interface ProcessReport {
  readonly id: number
  readonly threads: number
  readonly dropped: number
  readonly lost: number
}

/** Checks a parsed STATUS_REPORT from a child. */
export const isProcessReport = (value: Record<string, unknown>): boolean =>
  isCount(value.id) && isCount(value.threads) && isCount(value.dropped) && isCount(value.lost)

/** Checks a parsed FILTER: an id and the directives' text. */
export const isFilter = (value: Record<string, unknown>): boolean => isCount(value.id) && typeof value.text === 'string'
