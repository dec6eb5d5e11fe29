import { writeSync } from 'node:fs'
import { FrameQueue } from './frame-queue.ts'
import type { Link, OpenLink } from './links.ts'

/** How the sender buffers and reconnects. */
export interface SenderOptions {
  /** Names the target in stderr messages: `target "syslog" (tcp://127.0.0.1:514)`. */
  readonly label: string
  readonly bufferBytes: number
  readonly retryDelayMs: number
  readonly maxRetryDelayMs: number
  /** How long `close` waits for the server to take what is kept. */
  readonly closeTimeoutMs: number
  /** Larger messages cannot travel at all (a UDP datagram's limit): dropped and counted. */
  readonly maxMessageBytes: number
}

function reasonOf (error: Error | undefined): string {
  if (error === undefined) return 'the connection closed'
  const code = (error as NodeJS.ErrnoException).code
  return code === undefined || error.message.includes(code) ? error.message : `${code}: ${error.message}`
}

/**
 * Sends encoded syslog messages over one link at a time, in order. When the server goes away it
 * keeps messages (bounded by `bufferBytes`; newer ones are dropped and counted beyond that),
 * reconnects with exponential backoff, and sends them once connected again. Every outage is
 * reported on stderr twice at most, whatever its number of records: when it starts, and when it
 * ends with how many records it dropped.
 *
 * Messages go one after the other on a connection, each whole: a message that a lost connection
 * did not confirm as handed to the OS is sent again, whole, on the next one.
 */
export class SyslogSender {
  readonly #options: SenderOptions
  readonly #open: OpenLink
  readonly #queue = new FrameQueue()
  /** Sent on the current link and not yet confirmed: sent again if the link is lost. */
  #unconfirmed: Buffer[] = []
  #link: Link | undefined
  #generation = 0
  #connecting = false
  #waitingDrain = false
  #retryTimer: NodeJS.Timeout | undefined
  #retryDelay: number
  #outage: { since: number, reason: string, dropped: number } | undefined
  /** Records dropped while connected (the server slower than the records come), reported once per burst. */
  #droppedConnected = 0
  /** Records too large to send, reported when the first is dropped and counted at close. */
  #droppedTooLarge = 0
  #closing = false
  #idleWaiters: Array<() => void> = []

  constructor (open: OpenLink, options: SenderOptions) {
    this.#open = open
    this.#options = options
    this.#retryDelay = options.retryDelayMs
    this.#connect()
  }

  /** Messages kept and not yet confirmed sent. */
  get pending (): number { return this.#queue.length + this.#unconfirmed.length }

  /** Queues one message; drops and counts it when the buffer is full. */
  send (frame: Buffer): void {
    if (frame.length > this.#options.maxMessageBytes) {
      if (this.#droppedTooLarge++ === 0) this.#report(`dropping records larger than ${this.#options.maxMessageBytes} bytes, which do not fit a datagram (tcp has no such limit)`)
      return
    }
    if (this.#queue.bytes + frame.length > this.#options.bufferBytes && (this.#link === undefined || this.#queue.length > 0)) {
      if (this.#outage !== undefined) this.#outage.dropped++
      else if (this.#droppedConnected++ === 0) this.#report(`the server is slower than the records come: dropping records beyond ${this.#options.bufferBytes} buffered bytes`)
      return
    }
    this.#queue.push(frame)
    this.#pump()
  }

  /**
   * Resolves once every message is confirmed sent and the link is ended. When the server cannot
   * be reached (one more attempt is made), says on stderr how many records are not delivered.
   */
  async close (): Promise<void> {
    this.#closing = true
    clearTimeout(this.#retryTimer)
    if (this.#link === undefined && !this.#connecting && this.pending > 0) this.#connect()
    let timer: NodeJS.Timeout | undefined
    const timedOut = await new Promise<boolean>((resolve) => {
      if (this.#isIdle()) { resolve(false); return }
      this.#idleWaiters.push(() => resolve(false))
      timer = setTimeout(() => resolve(true), this.#options.closeTimeoutMs)
    })
    clearTimeout(timer)
    const link = this.#link
    this.#link = undefined
    this.#generation++
    if (this.pending > 0) {
      const reason = timedOut ? `the server did not take them within ${this.#options.closeTimeoutMs} ms` : this.#outage?.reason ?? 'the server is unreachable'
      this.#report(`${this.pending} records were not delivered at exit: ${reason}`)
    }
    this.#reportDroppedConnected()
    if (this.#droppedTooLarge > 0) this.#report(`${this.#droppedTooLarge} records were too large to send`)
    // Destroyed when what it holds cannot go: ending would wait on a server that does not read.
    if (timedOut) link?.destroy()
    else await link?.end().catch(() => {})
  }

  #isIdle (): boolean {
    if (this.pending === 0) return true
    // Closing without a link and no attempt under way: what is left cannot be delivered.
    return this.#closing && this.#link === undefined && !this.#connecting
  }

  #wakeIdleWaiters (): void {
    if (!this.#isIdle()) return
    for (const resolve of this.#idleWaiters.splice(0)) resolve()
  }

  // Straight to fd 2: from the hub's thread, process.stderr would go through the main thread.
  #report (message: string): void {
    writeSync(2, `threadlog: ${this.#options.label}: ${message}\n`)
  }

  #reportDroppedConnected (): void {
    if (this.#droppedConnected === 0) return
    this.#report(`${this.#droppedConnected} records dropped: the buffer (${this.#options.bufferBytes} bytes) was full`)
    this.#droppedConnected = 0
  }

  #connect (): void {
    this.#connecting = true
    const generation = ++this.#generation
    this.#open((error) => { if (generation === this.#generation) this.#lost(error) }).then((link) => {
      this.#connecting = false
      if (generation !== this.#generation) { link.destroy(); return }
      this.#connected(link)
    }, (error: Error) => {
      this.#connecting = false
      if (generation !== this.#generation) return
      this.#failed(error)
    })
  }

  #connected (link: Link): void {
    this.#link = link
    this.#pump()
  }

  /**
   * The first message confirmed after an outage ends it: not the connect, which a datagram
   * socket always gets and a server can reset at once.
   */
  #endOutage (): void {
    this.#retryDelay = this.#options.retryDelayMs
    if (this.#outage === undefined) return
    const { since, dropped } = this.#outage
    this.#outage = undefined
    const seconds = ((Date.now() - since) / 1000).toFixed(1)
    this.#report(`reached the server again after ${seconds} s; sending the ${this.pending + 1} records kept meanwhile` +
      (dropped > 0 ? `; ${dropped} records were dropped (more than ${this.#options.bufferBytes} bytes)` : ''))
  }

  /** A connect attempt failed: the outage starts (reported once) or goes on; retry later. */
  #failed (error: Error | undefined): void {
    this.#link = undefined
    this.#waitingDrain = false
    this.#queue.unshiftAll(this.#unconfirmed)
    this.#unconfirmed = []
    const reason = reasonOf(error)
    if (this.#outage === undefined) {
      this.#outage = { since: Date.now(), reason, dropped: 0 }
      if (!this.#closing) {
        this.#report(`cannot reach the server (${reason}); keeping up to ${this.#options.bufferBytes} bytes of records, reconnecting with backoff`)
      }
    } else {
      this.#outage.reason = reason
    }
    if (this.#closing) {
      this.#wakeIdleWaiters()
      return
    }
    this.#retryTimer = setTimeout(() => this.#connect(), this.#retryDelay)
    this.#retryTimer.unref()
    this.#retryDelay = Math.min(this.#retryDelay * 2, this.#options.maxRetryDelayMs)
  }

  /** The server went away after the link opened. */
  #lost (error: Error | undefined): void {
    if (this.#link === undefined) return
    this.#link.destroy()
    this.#generation++
    this.#failed(error)
  }

  #pump (): void {
    const link = this.#link
    if (link === undefined || this.#waitingDrain) return
    const generation = this.#generation
    for (let frame = this.#queue.shift(); frame !== undefined; frame = this.#queue.shift()) {
      this.#unconfirmed.push(frame)
      const more = link.send(frame, (error) => this.#sent(generation, error))
      if (!more) {
        this.#waitingDrain = true
        link.onDrain(() => {
          if (generation !== this.#generation) return
          this.#waitingDrain = false
          this.#pump()
        })
        return
      }
    }
  }

  #sent (generation: number, error: Error | null | undefined): void {
    if (generation !== this.#generation) return
    if (error !== null && error !== undefined) {
      this.#lost(error)
      return
    }
    // Confirmations come in the order of the sends.
    this.#unconfirmed.shift()
    if (this.#outage !== undefined || this.#retryDelay !== this.#options.retryDelayMs) this.#endOutage()
    if (this.#unconfirmed.length === 0 && this.#queue.length === 0) this.#reportDroppedConnected()
    this.#wakeIdleWaiters()
  }
}
