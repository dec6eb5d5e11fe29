import { FACILITIES } from './codes.ts'

/** How the syslog target reaches its server. */
export type SyslogProtocol = 'tcp' | 'udp' | 'unix' | 'tls'

/** Options of the `syslog` target and of the `threadlog/transports/syslog` transport. */
export interface SyslogOptions {
  /**
   * `udp` (RFC 5426), `tcp` or `tls` (RFC 6587 octet counting; RFC 5425), or `unix`: a unix
   * *stream* socket at `path`, octet counting too (rsyslog's imptcp `path`, syslog-ng's
   * `unix-stream`). A datagram socket such as most systems' `/dev/log` cannot be written from
   * Node (it has no unix datagram sockets): that is reported as an outage saying so. Default `udp`.
   */
  protocol?: SyslogProtocol | undefined
  /** Server address for `udp`, `tcp`, `tls`. Default `127.0.0.1`. */
  host?: string | undefined
  /** Server port for `udp`, `tcp`, `tls`. Default `514` (`6514` for `tls`). */
  port?: number | undefined
  /** Socket path for `unix`. Default `/dev/log`. */
  path?: string | undefined
  /** A facility name (`user`, `daemon`, `local0`…`local7`…) or number 0–23. Default `user`. */
  facility?: string | number | undefined
  /** APP-NAME. Default: each record's `proc` (its process name), so a child's records name the child. */
  appName?: string | undefined
  /** MSGID, the same for every record. Default: none (`-`). */
  msgId?: string | undefined
  /**
   * What MSG holds: `text`, the record's message, with every other field in STRUCTURED-DATA; or
   * `json`, the whole record as JSON, with only the identity (`ppid tid thread worker seq`) in
   * STRUCTURED-DATA. Default `text`.
   */
  message?: 'text' | 'json' | undefined
  /**
   * The private enterprise number in the SD-ID `threadlog@<PEN>`. Default `32473`, the example
   * number IANA reserves for documentation (RFC 5612): register your own for production.
   */
  enterpriseId?: number | string | undefined
  /** Bytes of records kept while the server is unreachable; beyond that new records are dropped and counted. Default 4 MiB. */
  bufferBytes?: number | undefined
  /** First reconnect delay in ms, doubled after each failure up to `maxRetryDelayMs`. Default 100. */
  retryDelayMs?: number | undefined
  /** Longest reconnect delay in ms. Default 5000. */
  maxRetryDelayMs?: number | undefined
  /**
   * At exit, how long to wait for the server to take the records still kept, in ms; what is left
   * then is reported on stderr with its count. Keep it below the logger's `flushTimeoutMs`
   * (10 000 by default), which bounds the whole exit. Default 5000.
   */
  closeTimeoutMs?: number | undefined
  /** For `tls`: CA certificate(s) in PEM to trust instead of Node's bundled roots. */
  ca?: string | readonly string[] | undefined
  /** For `tls`: check the server's certificate. Default `true`. */
  rejectUnauthorized?: boolean | undefined
  /** For `tls`: the name to check the certificate against (SNI). Default `host`. */
  servername?: string | undefined
}

/** Syslog options with every default applied. */
export interface ResolvedSyslogOptions {
  readonly protocol: SyslogProtocol
  readonly host: string
  readonly port: number
  readonly path: string
  readonly facility: number
  readonly appName: string | undefined
  readonly msgId: string | undefined
  readonly message: 'text' | 'json'
  readonly sdId: string
  readonly bufferBytes: number
  readonly retryDelayMs: number
  readonly maxRetryDelayMs: number
  readonly closeTimeoutMs: number
  readonly tls: { readonly ca?: string | string[], readonly rejectUnauthorized: boolean, readonly servername?: string }
}

const PROTOCOLS: readonly SyslogProtocol[] = ['tcp', 'udp', 'unix', 'tls']
const KNOWN = new Set(['protocol', 'host', 'port', 'path', 'facility', 'appName', 'msgId', 'message', 'enterpriseId',
  'bufferBytes', 'retryDelayMs', 'maxRetryDelayMs', 'closeTimeoutMs', 'ca', 'rejectUnauthorized', 'servername'])
// RFC 5424's header fields are printable US-ASCII (33–126) with a maximum length each.
const PRINTABLE_ASCII = /^[\x21-\x7e]+$/

type Namer = (key: string) => string

function optionalString (value: unknown, key: string, name: Namer): string | undefined {
  if (value === undefined) return undefined
  if (typeof value !== 'string' || value === '') throw new TypeError(`threadlog: ${name(key)} must be a non-empty string`)
  return value
}

function headerField (value: unknown, key: string, maxLength: number, name: Namer): string | undefined {
  const text = optionalString(value, key, name)
  if (text !== undefined && (!PRINTABLE_ASCII.test(text) || text.length > maxLength)) {
    throw new RangeError(`threadlog: ${name(key)} must be 1–${maxLength} printable US-ASCII characters without spaces (RFC 5424), got ${JSON.stringify(text)}`)
  }
  return text
}

function integerIn (value: unknown, key: string, min: number, max: number, fallback: number, name: Namer): number {
  if (value === undefined) return fallback
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new TypeError(`threadlog: ${name(key)} must be an integer`)
  if (value < min || value > max) throw new RangeError(`threadlog: ${name(key)} must be between ${min} and ${max}, got ${value}`)
  return value
}

function resolveFacility (value: unknown, name: Namer): number {
  if (typeof value === 'string') {
    const code = FACILITIES[value]
    if (code === undefined) throw new RangeError(`threadlog: ${name('facility')} must be one of ${Object.keys(FACILITIES).join(', ')} or 0–23, got ${JSON.stringify(value)}`)
    return code
  }
  return integerIn(value, 'facility', 0, 23, FACILITIES.user as number, name)
}

function resolveEnterpriseId (value: unknown, name: Namer): string {
  if (value === undefined) return '32473'
  const text = typeof value === 'number' ? String(value) : value
  // RFC 5424 7.2.2: a private enterprise number, optionally followed by dotted sub-identifiers.
  if (typeof text !== 'string' || !/^[1-9]\d*(\.\d+)*$/.test(text) || text.length > 22) {
    throw new RangeError(`threadlog: ${name('enterpriseId')} must be a private enterprise number such as 32473, got ${JSON.stringify(value)}`)
  }
  return text
}

function resolveTlsOptions (options: Record<string, unknown>, name: Namer): ResolvedSyslogOptions['tls'] {
  const { ca, rejectUnauthorized = true, servername } = options
  if (ca !== undefined && typeof ca !== 'string' && !(Array.isArray(ca) && ca.every((item) => typeof item === 'string'))) {
    throw new TypeError(`threadlog: ${name('ca')} must be a PEM string or an array of them`)
  }
  if (typeof rejectUnauthorized !== 'boolean') throw new TypeError(`threadlog: ${name('rejectUnauthorized')} must be a boolean`)
  const server = optionalString(servername, 'servername', name)
  return {
    rejectUnauthorized,
    ...(ca === undefined ? {} : { ca: typeof ca === 'string' ? ca : [...ca as string[]] }),
    ...(server === undefined ? {} : { servername: server })
  }
}

/**
 * Validates syslog options wherever they are given: to the transport (`path` left out) or as a
 * `syslog` target's options at `createLogger` (`path` is `'targets[0].options'`), so that a typo
 * fails in the caller's thread rather than as a target the hub cannot open.
 *
 * @throws {TypeError} or {RangeError} naming the option: `threadlog: option "targets[0].options.port"
 * must be between 1 and 65535, got 0`.
 */
export function resolveSyslogOptions (options: unknown, path?: string): ResolvedSyslogOptions {
  const name: Namer = (key) => path === undefined ? `syslog option "${key}"` : `option "${path}.${key}"`
  if (options === undefined) options = {}
  if (options === null || typeof options !== 'object') {
    throw new TypeError(`threadlog: ${path === undefined ? 'syslog options' : `option "${path}"`} must be an object`)
  }
  const given = options as Record<string, unknown>
  // A target's options are the user's own: an unknown key is a typo. The transport's may also hold
  // what pino.transport adds (`$context`, `pinoWillSendConfig`, and whatever a later pino adds).
  for (const key of path === undefined ? [] : Object.keys(given)) {
    if (!KNOWN.has(key)) throw new TypeError(`threadlog: ${name(key)} is not a syslog option (known: ${[...KNOWN].join(', ')})`)
  }
  const { protocol = 'udp', message = 'text' } = given
  if (!PROTOCOLS.includes(protocol as SyslogProtocol)) {
    throw new RangeError(`threadlog: ${name('protocol')} must be one of ${PROTOCOLS.join(', ')}, got ${JSON.stringify(protocol)}`)
  }
  if (message !== 'text' && message !== 'json') throw new RangeError(`threadlog: ${name('message')} must be "text" or "json", got ${JSON.stringify(message)}`)
  const retryDelayMs = integerIn(given.retryDelayMs, 'retryDelayMs', 1, 60_000, 100, name)
  return {
    protocol: protocol as SyslogProtocol,
    host: optionalString(given.host, 'host', name) ?? '127.0.0.1',
    port: integerIn(given.port, 'port', 1, 65535, protocol === 'tls' ? 6514 : 514, name),
    path: optionalString(given.path, 'path', name) ?? '/dev/log',
    facility: resolveFacility(given.facility, name),
    appName: headerField(given.appName, 'appName', 48, name),
    msgId: headerField(given.msgId, 'msgId', 32, name),
    message,
    sdId: `threadlog@${resolveEnterpriseId(given.enterpriseId, name)}`,
    bufferBytes: integerIn(given.bufferBytes, 'bufferBytes', 0, 2 ** 31, 4 * 1024 * 1024, name),
    retryDelayMs,
    maxRetryDelayMs: integerIn(given.maxRetryDelayMs, 'maxRetryDelayMs', retryDelayMs, 600_000, Math.max(5000, retryDelayMs), name),
    closeTimeoutMs: integerIn(given.closeTimeoutMs, 'closeTimeoutMs', 0, 600_000, 5000, name),
    tls: resolveTlsOptions(given, name)
  }
}
