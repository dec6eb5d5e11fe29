import { createSocket as createUdpSocket, type Socket as UdpSocket } from 'node:dgram'
import { lookup } from 'node:dns/promises'
import { once } from 'node:events'
import { connect as connectTcp, isIP, type Socket } from 'node:net'
import { connect as connectTls } from 'node:tls'
import type { ResolvedSyslogOptions } from './options.ts'

/** One connection (or connected datagram socket) to the syslog server, as the sender drives it. */
export interface Link {
  /**
   * Hands one encoded message to the OS; `done` is called once it did (with an error when it
   * refused). Returns `false` when the caller should wait for `onDrain` before sending more.
   */
  send: (message: Buffer, done: (error?: Error | null) => void) => boolean
  /** Calls `listener` once, when the link can take more after `send` returned `false`. */
  onDrain: (listener: () => void) => void
  /** Ends the link once everything sent is handed over; resolves when it is closed. */
  end: () => Promise<void>
  destroy: () => void
}

/** Opens a link; `onLost` is called once if the server goes away after it opened. */
export type OpenLink = (onLost: (error: Error | undefined) => void) => Promise<Link>

/** A connect that takes longer than this fails, and the sender retries with its backoff. */
const CONNECT_TIMEOUT_MS = 10_000
/** The largest UDP payload over IPv4 (65 535 − 8 − 20 bytes of headers): a longer message cannot be sent. */
const UDP_MAX_PAYLOAD = 65_507
/** Datagrams handed to libuv and not yet sent, beyond which the sender waits (dgram has no backpressure of its own). */
const DATAGRAM_QUEUE_LIMIT = 64

/**
 * How a message travels: octet counting (RFC 6587 3.4.1, `LEN SP MSG`) on a stream (TCP, TLS, a
 * unix stream socket), which lets a message hold line breaks; as it is in a UDP datagram, one
 * message each (RFC 5426).
 */
export function encodeMessage (options: ResolvedSyslogOptions, message: string): Buffer {
  const bytes = Buffer.from(message, 'utf8')
  if (options.protocol === 'udp') return bytes
  return Buffer.concat([Buffer.from(`${bytes.length} `, 'latin1'), bytes])
}

/** The longest message the protocol can carry: a datagram's payload, or no limit on a stream. */
export function maxMessageBytes (options: ResolvedSyslogOptions): number {
  return options.protocol === 'udp' ? UDP_MAX_PAYLOAD : Number.POSITIVE_INFINITY
}

/** Where the link goes, for messages: `tcp://127.0.0.1:514`, `unix:///dev/log`. */
export function describeServer (options: ResolvedSyslogOptions): string {
  return options.protocol === 'unix' ? `unix://${options.path}` : `${options.protocol}://${options.host}:${options.port}`
}

function streamLink (socket: Socket): Link {
  return {
    send: (message, done) => socket.write(message, done),
    onDrain: (listener) => { socket.once('drain', listener) },
    // Done once our bytes are handed to the kernel: waiting for the server to close its side too
    // could hang an exit on a server that never does.
    end: async () => {
      if (socket.destroyed) return
      await new Promise<void>((resolve) => socket.end(resolve))
      socket.destroy()
    },
    destroy: () => { socket.destroy() }
  }
}

function connectSocket (options: ResolvedSyslogOptions): Socket {
  const { host, port } = options
  if (options.protocol === 'unix') return connectTcp({ path: options.path })
  if (options.protocol === 'tcp') return connectTcp({ host, port })
  // SNI carries host names only (RFC 6066): an IP address is checked against the certificate without it.
  return connectTls({ host, port, ...options.tls, ...(options.tls.servername === undefined && isIP(host) === 0 ? { servername: host } : {}) })
}

/**
 * Node has no unix datagram sockets (nodejs/node#30059), and /dev/log is one on most systems
 * (journald, rsyslog's imuxsock): connecting a stream to it fails with EPROTOTYPE. Says what to do.
 */
function explainConnectError (error: NodeJS.ErrnoException, options: ResolvedSyslogOptions): Error {
  if (options.protocol !== 'unix' || error.code !== 'EPROTOTYPE') return error
  return Object.assign(new Error(`${options.path} is a datagram socket, which Node cannot write to: ` +
    'send over udp or tcp to the local syslog daemon, or have it listen on a unix stream socket (rsyslog: imptcp path=…)', { cause: error }), { code: error.code })
}

async function openStream (options: ResolvedSyslogOptions, onLost: (error: Error | undefined) => void): Promise<Link> {
  const socket = connectSocket(options)
  socket.setTimeout(CONNECT_TIMEOUT_MS, () => socket.destroy(new Error(`no connection after ${CONNECT_TIMEOUT_MS} ms`)))
  try {
    await once(socket, options.protocol === 'tls' ? 'secureConnect' : 'connect')
  } catch (error) {
    socket.destroy()
    throw explainConnectError(error as NodeJS.ErrnoException, options)
  }
  socket.setTimeout(0)
  socket.setKeepAlive(true)
  let lastError: Error | undefined
  socket.on('error', (error) => { lastError = error })
  // A syslog server never writes back: reading is only how its end of the connection is noticed.
  // A closed connection is left at once (its 'end'), so that no later message goes to it.
  socket.on('data', () => {})
  socket.once('end', () => { onLost(new Error('the server closed the connection')); socket.destroy() })
  socket.once('close', () => onLost(lastError))
  return streamLink(socket)
}

function datagramLink (socket: UdpSocket): Link {
  let drainListener: (() => void) | undefined
  const sent = () => {
    if (drainListener !== undefined && socket.getSendQueueCount() < DATAGRAM_QUEUE_LIMIT) {
      const listener = drainListener
      drainListener = undefined
      listener()
    }
  }
  return {
    send: (message, done) => {
      socket.send(message, (error) => { done(error); sent() })
      return socket.getSendQueueCount() < DATAGRAM_QUEUE_LIMIT
    },
    onDrain: (listener) => { drainListener = listener },
    end: async () => { await new Promise<void>((resolve) => socket.close(() => resolve())) },
    destroy: () => { try { socket.close() } catch { /* already closed */ } }
  }
}

async function openUdp (options: ResolvedSyslogOptions, onLost: (error: Error | undefined) => void): Promise<Link> {
  // Resolved once per connection rather than by dgram on every send.
  const { address, family } = await lookup(options.host)
  const socket = createUdpSocket(family === 6 ? 'udp6' : 'udp4')
  socket.once('error', (error) => onLost(error))
  socket.connect(options.port, address)
  await once(socket, 'connect')
  // A connected socket hears the ICMP "port unreachable" of a server that is gone, as an error of
  // a later send: the sender then treats the link as lost, and retries that message later.
  return datagramLink(socket)
}

/** The opener for the configured protocol. */
export function linkOpener (options: ResolvedSyslogOptions): OpenLink {
  switch (options.protocol) {
    case 'udp': return async (onLost) => await openUdp(options, onLost)
    default: return async (onLost) => await openStream(options, onLost)
  }
}
