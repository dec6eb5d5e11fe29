import { createSocket as createUdpSocket, type Socket as UdpSocket } from 'node:dgram'
import { lookup } from 'node:dns/promises'
import { once } from 'node:events'
import { stat } from 'node:fs/promises'
import { createRequire } from 'node:module'
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
/** Datagrams handed to libuv and not yet sent, beyond which the sender waits (dgram has no backpressure of its own). */
const DATAGRAM_QUEUE_LIMIT = 64

/**
 * How a message travels: octet counting (RFC 6587 3.4.1, `LEN SP MSG`) on a stream, which lets
 * a message hold line breaks; as it is in a datagram, one message each (RFC 5426).
 */
export function encodeMessage (options: ResolvedSyslogOptions, message: string): Buffer {
  const bytes = Buffer.from(message, 'utf8')
  if (options.protocol === 'udp' || options.protocol === 'unix') return bytes
  return Buffer.concat([Buffer.from(`${bytes.length} `, 'latin1'), bytes])
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

async function openStream (options: ResolvedSyslogOptions, onLost: (error: Error | undefined) => void): Promise<Link> {
  const { host, port } = options
  const socket = options.protocol === 'tls'
    // SNI carries host names only (RFC 6066): an IP address is checked against the certificate without it.
    ? connectTls({ host, port, ...options.tls, ...(options.tls.servername === undefined && isIP(host) === 0 ? { servername: host } : {}) })
    : connectTcp({ host, port })
  socket.setTimeout(CONNECT_TIMEOUT_MS, () => socket.destroy(new Error(`no connection after ${CONNECT_TIMEOUT_MS} ms`)))
  try {
    await once(socket, options.protocol === 'tls' ? 'secureConnect' : 'connect')
  } catch (error) {
    socket.destroy()
    throw error
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

interface DgramSocket {
  on: (event: 'error', listener: (error: Error) => void) => void
  sendTo: (message: Buffer, offset: number, length: number, path: string, done: (error?: Error) => void) => void
  close: () => void
}

/**
 * Node has no unix datagram sockets (its `dgram` is UDP only, `net` streams only), and /dev/log is
 * one. The optional package `node-unix-socket` has them: a Node-API addon with prebuilt binaries,
 * so it loads in the hub's worker thread (a non-context-aware addon such as `unix-dgram` cannot).
 */
function loadDgramSocket (): new () => DgramSocket {
  try {
    return (createRequire(import.meta.url)('node-unix-socket') as { DgramSocket: new () => DgramSocket }).DgramSocket
  } catch (error) {
    throw new Error('protocol "unix" needs the optional package node-unix-socket (npm install node-unix-socket): Node itself has no unix datagram sockets', { cause: error })
  }
}

async function openUnix (options: ResolvedSyslogOptions, onLost: (error: Error | undefined) => void): Promise<Link> {
  const DgramSocket = loadDgramSocket()
  const socket = new DgramSocket()
  socket.on('error', (error) => onLost(error))
  // A send to a full socket waits inside the addon until the server reads: count what waits there.
  let queued = 0
  let drainListener: (() => void) | undefined
  const send = (message: Buffer, done: (error?: Error | null) => void): boolean => {
    queued++
    socket.sendTo(message, 0, message.length, options.path, (error) => {
      queued--
      done(error)
      if (drainListener !== undefined && queued < DATAGRAM_QUEUE_LIMIT) {
        const listener = drainListener
        drainListener = undefined
        listener()
      }
    })
    return queued < DATAGRAM_QUEUE_LIMIT
  }
  // Nothing to connect: a missing socket fails now, a server that is not reading at the first send.
  if (!(await stat(options.path)).isSocket()) throw new Error(`${options.path} is not a socket`)
  return {
    send,
    onDrain: (listener) => { drainListener = listener },
    end: async () => { socket.close() },
    destroy: () => { try { socket.close() } catch { /* already closed */ } }
  }
}

/** The opener for the configured protocol. */
export function linkOpener (options: ResolvedSyslogOptions): OpenLink {
  switch (options.protocol) {
    case 'udp': return async (onLost) => await openUdp(options, onLost)
    case 'unix': return async (onLost) => await openUnix(options, onLost)
    default: return async (onLost) => await openStream(options, onLost)
  }
}
