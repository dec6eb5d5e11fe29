// The CLI's end of a root hub's attach socket (src/live/attach-server.ts): one connection, its frames.
import { connect, type Socket } from 'node:net'
import { FrameDecoder, FrameType, encodeFrame, type Frame } from '../../tree/frames.ts'
import { LiveError } from './live-error.ts'

/** How long a hub has to answer a STATUS or an ATTACH before the CLI gives up on it. */
export const ANSWER_MS = 2000

/** One connection to a hub, read frame by frame with the socket's own backpressure. */
export class HubConnection {
  readonly socket: Socket
  readonly #frames: AsyncIterator<Frame>

  private constructor (socket: Socket) {
    this.socket = socket
    this.#frames = readFrames(socket)
  }

  /** Connects to `path`; rejects naming the socket's error (ENOENT, ECONNREFUSED: no hub listens). */
  static async open (path: string): Promise<HubConnection> {
    const socket = connect(path)
    await new Promise<void>((resolve, reject) => {
      socket.once('connect', resolve)
      socket.once('error', (error: NodeJS.ErrnoException) => reject(new LiveError(`cannot connect to ${path}: ${error.code ?? error.message}`)))
    })
    socket.removeAllListeners('error')
    // An error ends the frames below; 'error' without a listener would take the CLI down.
    socket.on('error', () => {})
    return new HubConnection(socket)
  }

  send (type: FrameType, payload: string): void {
    this.socket.write(encodeFrame(type, payload))
  }

  /** The next frame, or undefined once the hub closed the connection. */
  async next (): Promise<Frame | undefined> {
    const { done, value } = await this.#frames.next()
    return done === true ? undefined : value
  }

  /** The next frame within {@link ANSWER_MS}; a hub that says nothing in time is an error. */
  async answer (what: string): Promise<Frame> {
    this.socket.setTimeout(ANSWER_MS, () => this.socket.destroy(new LiveError(`${what}: no answer within ${ANSWER_MS} ms`)))
    try {
      const frame = await this.next()
      if (frame === undefined) throw new LiveError(`${what}: the hub closed the connection`)
      if (frame.type === FrameType.REFUSED) throw new LiveError(`${what}: ${frame.payload.toString('utf8')}`)
      return frame
    } finally {
      this.socket.setTimeout(0)
    }
  }

  close (): void {
    this.socket.destroy()
  }
}

async function * readFrames (socket: Socket): AsyncGenerator<Frame> {
  const decoder = new FrameDecoder()
  for await (const chunk of socket as AsyncIterable<Buffer>) yield * decoder.push(chunk)
}
