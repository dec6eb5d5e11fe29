import assert from 'node:assert/strict'
import { hostname } from 'node:os'
import { test } from 'node:test'
import { formatSyslogMessage, formatTimestamp } from '../../src/syslog/message.ts'
import { resolveSyslogOptions } from '../../src/syslog/options.ts'

const TIME = Date.UTC(2026, 11, 7, 2, 5, 1, 234)
const record = { level: 30, time: TIME, pid: 4242, hostname: 'web-1', ppid: 1, proc: 'api', tid: 3, thread: 'resize', seq: 17, reqId: '7f3a', msg: 'resized image' }

function withTimeZone<T> (zone: string, fn: () => T): T {
  const previous = process.env.TZ
  process.env.TZ = zone
  try {
    return fn()
  } finally {
    if (previous === undefined) delete process.env.TZ
    else process.env.TZ = previous
  }
}

test('a record as RFC 5424: PRI, version, timestamp, HOSTNAME, APP-NAME = proc, PROCID = pid, NILVALUE MSGID, the identity and context in one SD-ELEMENT, MSG', () => {
  const line = JSON.stringify(record)
  const message = withTimeZone('UTC', () => formatSyslogMessage(record, line, resolveSyslogOptions({})))
  assert.equal(message, '<14>1 2026-12-07T02:05:01.234+00:00 web-1 api 4242 - [threadlog@32473 ppid="1" tid="3" thread="resize" seq="17" reqId="7f3a"] resized image')
})

test('the timestamp is local time with milliseconds and the offset, east and west of UTC and at half hours', () => {
  assert.equal(withTimeZone('UTC', () => formatTimestamp(TIME)), '2026-12-07T02:05:01.234+00:00')
  assert.equal(withTimeZone('Asia/Kolkata', () => formatTimestamp(TIME)), '2026-12-07T07:35:01.234+05:30')
  assert.equal(withTimeZone('America/St_Johns', () => formatTimestamp(TIME)), '2026-12-06T22:35:01.234-03:30')
  assert.equal(withTimeZone('UTC', () => formatTimestamp('2026-12-07T02:05:01.234Z')), '2026-12-07T02:05:01.234+00:00', 'an ISO time written by a timestamp option')
})

test('PRI: facility × 8 + the severity of the level; labels and custom levels map to the nearest pino level below', () => {
  const pri = (level: unknown, facility?: string | number) =>
    Number(/^<(\d+)>/.exec(formatSyslogMessage({ level, msg: 'x' }, '', resolveSyslogOptions(facility === undefined ? {} : { facility })))?.[1])
  assert.deepEqual([10, 20, 30, 40, 50, 60].map((level) => pri(level)), [15, 15, 14, 12, 11, 10])
  assert.deepEqual([pri(35), pri(70), pri(5), pri('warning'), pri('ERROR'), pri('unknown'), pri(undefined)], [14, 10, 15, 12, 11, 14, 14])
  assert.deepEqual([pri(30, 'local7'), pri(30, 0), pri(60, 'auth')], [23 * 8 + 6, 6, 4 * 8 + 2])
})

test('missing header fields are NILVALUE, HOSTNAME falls back to the machine, header text is cut to printable US-ASCII', () => {
  const options = resolveSyslogOptions({})
  assert.equal(formatSyslogMessage({ level: 30, time: TIME }, '', options).split(' ').slice(2, 7).join(' '), `${hostname()} - - - -`)
  const message = formatSyslogMessage({ level: 30, time: TIME, hostname: 'h ö', proc: 'my app'.padEnd(60, 'x'), pid: 1, msg: 'm' }, '', options)
  assert.deepEqual(message.split(' ').slice(2, 4), ['h__', 'my_app'.padEnd(48, 'x')])
})

test('appName and msgId options; proc then stays in STRUCTURED-DATA', () => {
  const message = formatSyslogMessage(record, '', resolveSyslogOptions({ appName: 'billing', msgId: 'AUDIT', enterpriseId: '12345.1' }))
  assert.match(message, / web-1 billing 4242 AUDIT \[threadlog@12345\.1 ppid="1" proc="api" tid="3" /)
})

test('message: "json" sends the record line as MSG, with only the identity in STRUCTURED-DATA', () => {
  const line = JSON.stringify(record)
  const message = formatSyslogMessage(record, line, resolveSyslogOptions({ message: 'json' }))
  assert.ok(message.endsWith(` - [threadlog@32473 ppid="1" tid="3" thread="resize" seq="17"] ${line}`), message)
})

test('a record without a message and without other fields has no MSG and NILVALUE STRUCTURED-DATA', () => {
  assert.equal(withTimeZone('UTC', () => formatSyslogMessage({ level: 40, time: TIME, pid: 7, hostname: 'h', proc: 'p' }, '', resolveSyslogOptions({}))),
    '<12>1 2026-12-07T02:05:01.234+00:00 h p 7 - -')
})
