import { hostname as osHostname } from 'node:os'
import { severityOfLevel } from './codes.ts'
import type { ResolvedSyslogOptions } from './options.ts'
import { formatSdElement } from './structured-data.ts'

/** The record fields a syslog HEADER or MSG carries, kept out of STRUCTURED-DATA. */
const HEADER_KEYS = new Set(['level', 'time', 'pid', 'hostname', 'msg'])

/** The identity fields STRUCTURED-DATA keeps when MSG is the whole record. */
const IDENTITY_KEYS = ['ppid', 'tid', 'thread', 'worker', 'seq'] as const

const NILVALUE = '-'
const NOT_PRINTABLE_ASCII = /[^\x21-\x7e]/gu

/** A value for a HEADER field: printable US-ASCII (anything else becomes `_`), cut to `max`; NILVALUE when empty. */
function headerText (value: unknown, max: number): string {
  if (value === undefined || value === null || value === '') return NILVALUE
  return String(value).replace(NOT_PRINTABLE_ASCII, '_').slice(0, max)
}

function twoDigits (value: number): string {
  return String(value).padStart(2, '0')
}

/**
 * RFC 5424 TIMESTAMP in local time with milliseconds and the UTC offset
 * (`2026-12-07T02:05:01.234+01:00`). Reads pino's epoch milliseconds, or an ISO string that a
 * `timestamp` option wrote; the time of formatting when the record has neither.
 */
export function formatTimestamp (time: unknown): string {
  const parsed = typeof time === 'number' ? time : typeof time === 'string' ? Date.parse(time) : Number.NaN
  const ms = Number.isFinite(parsed) ? parsed : Date.now()
  const offsetMinutes = -new Date(ms).getTimezoneOffset()
  // The local wall-clock time is the UTC time shifted by the offset, written without its 'Z'.
  const local = new Date(ms + offsetMinutes * 60_000).toISOString().slice(0, 23)
  const sign = offsetMinutes < 0 ? '-' : '+'
  const absolute = Math.abs(offsetMinutes)
  return `${local}${sign}${twoDigits(Math.floor(absolute / 60))}:${twoDigits(absolute % 60)}`
}

function messageText (msg: unknown): string | undefined {
  if (msg === undefined || msg === null) return undefined
  return typeof msg === 'string' ? msg : JSON.stringify(msg)
}

/** Fields for STRUCTURED-DATA, in the record's order. */
function* sdFields (record: Record<string, unknown>, options: ResolvedSyslogOptions): Iterable<readonly [string, unknown]> {
  if (options.message === 'json') {
    for (const key of IDENTITY_KEYS) yield [key, record[key]]
    return
  }
  const procIsAppName = options.appName === undefined
  for (const key in record) {
    if (HEADER_KEYS.has(key) || (procIsAppName && key === 'proc')) continue
    yield [key, record[key]]
  }
}

/**
 * One record as an RFC 5424 SYSLOG-MSG, without transport framing:
 * `<PRI>1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]`. PRI is the facility
 * and the record's level; APP-NAME the `appName` option or the record's `proc`; PROCID its `pid`;
 * STRUCTURED-DATA one `threadlog@<PEN>` element with the identity and context (see `sdFields`).
 * MSG is sent as UTF-8 without the optional BOM, which rsyslog would keep as part of the message.
 *
 * @param line the record's NDJSON line, for `message: 'json'` (without its `\n`).
 */
export function formatSyslogMessage (record: Record<string, unknown>, line: string, options: ResolvedSyslogOptions): string {
  const pri = options.facility * 8 + severityOfLevel(record.level)
  const header = `<${pri}>1 ${formatTimestamp(record.time)} ${headerText(record.hostname ?? osHostname(), 255)} ` +
    `${headerText(options.appName ?? record.proc ?? record.name, 48)} ${headerText(record.pid, 128)} ${options.msgId ?? NILVALUE}`
  const sd = formatSdElement(options.sdId, sdFields(record, options))
  const msg = options.message === 'json' ? line : messageText(record.msg)
  return msg === undefined ? `${header} ${sd}` : `${header} ${sd} ${msg}`
}
