import build from 'pino-abstract-transport'
import { describeServer, encodeMessage, linkOpener, maxMessageBytes } from '../src/syslog/links.ts'
import { formatSyslogMessage } from '../src/syslog/message.ts'
import { resolveSyslogOptions, type SyslogOptions } from '../src/syslog/options.ts'
import { SyslogSender } from '../src/syslog/sender.ts'

export type { SyslogOptions } from '../src/syslog/options.ts'

/**
 * The syslog transport: a pino-abstract-transport module, loaded by the hub for `target: 'syslog'`
 * and usable on its own as `pino.transport({ target: 'threadlog/transports/syslog', options })`.
 * Every record becomes one RFC 5424 message (see `formatSyslogMessage`), sent over UDP, TCP or TLS
 * (octet counting) or a unix datagram socket. The server going away never fails the transport:
 * records are kept (bounded), the connection is retried with backoff, and the outage is reported
 * once on stderr. Lines that are not JSON objects are sent as the message of an informational record.
 *
 * @throws {TypeError} or {RangeError} naming the option, before anything is opened.
 */
export default async function syslogTransport (options?: SyslogOptions) {
  const resolved = resolveSyslogOptions(options)
  const server = describeServer(resolved)
  const sender = new SyslogSender(linkOpener(resolved), {
    label: `target "syslog" (${server})`,
    bufferBytes: resolved.bufferBytes,
    retryDelayMs: resolved.retryDelayMs,
    maxRetryDelayMs: resolved.maxRetryDelayMs,
    closeTimeoutMs: resolved.closeTimeoutMs,
    maxMessageBytes: maxMessageBytes(resolved)
  })
  return build(async function sendRecords (source) {
    for await (const line of source as AsyncIterable<string>) {
      if (line === '') continue
      sender.send(encodeMessage(resolved, formatSyslogMessage(parseRecord(line), line, resolved)))
    }
  }, {
    // Lines, parsed here: `message: 'json'` sends the line exactly as the record was written.
    parse: 'lines',
    parseLine: (line) => line,
    async close () { await sender.close() }
  })
}

function parseRecord (line: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(line)
    if (value !== null && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
  } catch {
    // Not JSON: sent as a message of its own rather than lost.
  }
  return { msg: line }
}
