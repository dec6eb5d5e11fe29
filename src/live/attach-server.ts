// The root hub's door for `threadlog ps`, `attach` and `set`: a unix socket of its own, beside the one
// child processes relay to. Clients take records; they are never sources, and can never hold the hub up.
import { chmodSync, writeSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import {
  ATTACH_PROTOCOL_VERSION, FrameDecoder, FrameError, FrameType, encodeFrame, isAttachRequest, isSync, parseControl, type AttachRequest, type Frame
} from '../tree/frames.ts'
import type { RecordBatch } from '../ring/record-batch.ts'
import type { Segments } from '../hub/time-merge.ts'
import { cutIntoFrames, framesOfRanges, type Frames } from './record-frames.ts'
import { compileSelection, type HubProcess, type Selection } from './selection.ts'
import type { FilterOverlay } from './filter-overlay.ts'
import type { HubStatus, TreeStatus } from './tree-status.ts'
import { withoutPrefix } from '../library-error.ts'

/** Records a client may have waiting in its socket before it misses the next ones (it is told how many). */
export const CLIENT_BUFFER_BYTES = 4 * 1024 * 1024
/** Clients at once; one more is disconnected at once, and counted. */
const MAX_CLIENTS = 64
/** A client says what it wants within this, and never leaves a frame half sent for longer. */
const HANDSHAKE_MS = 2000
const STALL_MS = 2000
/** A client sends small control frames only. */
const MAX_CLIENT_FRAME_BYTES = 64 * 1024

/** What the server asks of the hub. */
export interface AttachHost {
  readonly status: () => Promise<HubStatus>
  readonly overlay: FilterOverlay
  readonly process: HubProcess
}

class AttachClient {
  readonly socket: Socket
  readonly decoder = new FrameDecoder(MAX_CLIENT_FRAME_BYTES)
  /** Handshake or stalled-frame timer. */
  timer: NodeJS.Timeout | undefined
  request: AttachRequest | undefined
  /** It sent a STATUS. */
  asked = false
  /** Takes records (after ATTACHED). */
  streaming = false
  /** Records it missed since the last it got. */
  missed = 0
  /** Its selecting options: only records they may pass are sent. */
  selection: Selection | undefined
  gone = false

  constructor (socket: Socket) {
    this.socket = socket
  }
}

/** Listens for attach clients; see frames.ts for what they say. */
export class AttachServer {
  readonly #clients = new Set<AttachClient>()
  readonly #host: AttachHost
  readonly #server: Server
  /** Clients the hub disconnected: protocol errors, stalls, one too many. */
  #refused = 0
  #streaming = 0

  constructor (host: AttachHost) {
    this.#host = host
    this.#server = createServer((socket) => this.#accept(socket))
    this.#server.unref()
    this.#server.on('error', (error) => writeSync(2, `threadlog: the hub's attach socket failed: ${error.message}\n`))
  }

  /** Binds `path` (0600 once bound, in a 0700 directory); resolves with whether it listens. */
  async listen (path: string): Promise<boolean> {
    return await new Promise<boolean>((resolve) => {
      const failed = (error: Error) => {
        writeSync(2, `threadlog: not registering for threadlog ps/attach: cannot listen on ${path}: ${error.message}\n`)
        resolve(false)
      }
      this.#server.once('error', failed)
      this.#server.listen(path, () => {
        this.#server.off('error', failed)
        try {
          chmodSync(path, 0o600)
        } catch {
          // Only a second lock: the registry directory's 0700 keeps other users out.
        }
        resolve(true)
      })
    })
  }

  /** Clients attached (a `ps` asking is not one), and those the hub disconnected. */
  get counts (): Pick<TreeStatus, 'clients' | 'refusedClients'> {
    let attached = 0
    for (const client of this.#clients) if (client.request !== undefined) attached++
    return { clients: attached, refusedClients: this.#refused }
  }

  /** Whether any client takes records: without one, the hub copies nothing. */
  get streaming (): boolean {
    return this.#streaming > 0
  }

  #accept (socket: Socket): void {
    socket.on('error', () => {}) // a client killed mid-write resets its end: 'close' follows
    if (this.#clients.size >= MAX_CLIENTS) {
      this.#refused++
      socket.destroy()
      return
    }
    const client = new AttachClient(socket)
    this.#clients.add(client)
    this.#arm(client, HANDSHAKE_MS, 'said nothing')
    socket.on('data', (chunk: Buffer) => {
      if (client.gone) return
      try {
        for (const frame of client.decoder.push(chunk)) this.#handle(client, frame)
      } catch (error) {
        this.#refuse(client, error instanceof Error ? error.message : String(error))
        return
      }
      if (client.decoder.pendingBytes > 0) this.#arm(client, STALL_MS, 'stalled in the middle of a frame')
      else if (client.request !== undefined) this.#disarm(client)
    })
    socket.on('close', () => this.#forget(client))
    // A client that missed records is told as soon as it has read what it had, not only before its next records.
    socket.on('drain', () => this.#tellMissed(client))
  }

  #tellMissed (client: AttachClient): void {
    if (client.missed === 0 || client.gone) return
    client.socket.write(encodeFrame(FrameType.MISSED, JSON.stringify({ records: client.missed })))
    client.missed = 0
  }

  /** Disconnects the client unless it gets on within `ms`; a deadline already running stays. */
  #arm (client: AttachClient, ms: number, reason: string): void {
    if (client.timer !== undefined) return
    client.timer = setTimeout(() => {
      // A `ps` that asked and stays connected only holds a slot: it goes, uncounted.
      if (client.asked && client.request === undefined && client.decoder.pendingBytes === 0) this.#refuse(client, 'done', false)
      else this.#refuse(client, reason)
    }, ms)
    client.timer.unref() // the hub never keeps the process alive
  }

  #disarm (client: AttachClient): void {
    clearTimeout(client.timer)
    client.timer = undefined
  }

  #handle (client: AttachClient, frame: Frame): void {
    if (frame.type === FrameType.STATUS) {
      const { id } = parseControl<{ id: number }>(frame.payload, isSync, 'STATUS')
      client.asked = true
      void this.#host.status().then((status) => {
        if (!client.gone) client.socket.write(encodeFrame(FrameType.STATUS_REPORT, JSON.stringify({ id, ...status, ...this.counts })))
      })
      return
    }
    if (frame.type !== FrameType.ATTACH || client.request !== undefined) throw new FrameError(`unexpected frame type ${frame.type}`)
    const request = parseControl<AttachRequest>(frame.payload, (value) => typeof value.v === 'number', 'ATTACH')
    if (request.v !== ATTACH_PROTOCOL_VERSION) throw new FrameError(`speaks attach protocol ${request.v}, this hub ${ATTACH_PROTOCOL_VERSION}`)
    if (!isAttachRequest(request as unknown as Record<string, unknown>)) throw new FrameError('ATTACH frame is malformed')
    client.selection = compileSelection(request.select, this.#host.process)
    client.request = request
    this.#disarm(client)
    void this.#start(client, request)
  }

  /** Puts the client's `--set` in force, then says so; a streaming client gets records from then on. */
  async #start (client: AttachClient, request: AttachRequest): Promise<void> {
    let filter: string | undefined
    if (request.set !== undefined) {
      try {
        filter = await this.#host.overlay.add(client, { text: request.set, keep: request.keep === true, toTargets: request.toTargets === true })
      } catch (error) {
        this.#refuse(client, withoutPrefix(error), false)
        return
      }
    }
    if (client.gone) return void this.#host.overlay.remove(client)
    client.socket.write(encodeFrame(FrameType.ATTACHED, JSON.stringify({ filter: filter ?? null })))
    if (request.stream) {
      client.streaming = true
      this.#streaming++
    }
  }

  /** The client broke the protocol or stalled: told why, disconnected, counted. */
  #refuse (client: AttachClient, reason: string, counted = true): void {
    if (client.gone) return
    if (counted) this.#refused++
    client.socket.end(encodeFrame(FrameType.REFUSED, reason), () => client.socket.destroy())
    // A client that reads nothing would keep the socket half open: it goes anyway.
    setTimeout(() => client.socket.destroy(), STALL_MS).unref()
    this.#forget(client)
  }

  /** The client is gone (detached, killed, refused): its overlay goes with it. */
  #forget (client: AttachClient): void {
    if (client.gone) return
    client.gone = true
    this.#disarm(client)
    this.#clients.delete(client)
    if (client.streaming) this.#streaming--
    void this.#host.overlay.remove(client)
  }

  /**
   * Hands a cycle's records to every streaming client, never waiting: a client whose socket holds
   * more than its budget misses them, counted, and is told before the next records it gets. Frames
   * of the whole batch are made once for the clients that take everything; a selecting client gets
   * frames of the records it may select (selection.ts).
   */
  deliver (batch: RecordBatch, segments: Segments): void {
    if (this.#streaming === 0 || batch.count === 0) return
    let whole: Frames | undefined
    for (const client of this.#clients) {
      if (!client.streaming) continue
      if (client.selection === undefined) {
        whole ??= cutIntoFrames(batch, FrameType.RECORDS, 0, batch.count)
        this.#send(client, whole)
        continue
      }
      this.#send(client, framesOfRanges(batch, client.selection.select(batch, segments)))
    }
  }

  /**
   * The tree is ending, every record handed over: each streaming client is told, with what it
   * missed since it was last told. Queued behind what its socket still holds, it arrives only if
   * all of that does; the client takes a stream that ends without it as one that lost its end.
   */
  end (): void {
    for (const client of this.#clients) {
      if (!client.streaming || client.gone) continue
      client.socket.write(encodeFrame(FrameType.ENDED, JSON.stringify({ records: client.missed })))
      client.missed = 0
    }
  }

  #send (client: AttachClient, frames: Frames): void {
    for (const { frame, records } of frames) {
      if (client.socket.writableLength + frame.length > CLIENT_BUFFER_BYTES) {
        client.missed += records
        continue
      }
      this.#tellMissed(client)
      client.socket.write(frame)
    }
  }
}
