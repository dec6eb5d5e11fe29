import assert from 'node:assert/strict'
import { test } from 'node:test'
import { resolveTargets } from '../../src/targets/target-spec.ts'
import { resolveSyslogOptions } from '../../src/syslog/options.ts'

const syslog = (options: Record<string, unknown>) => () => resolveTargets([{ target: 'syslog', options }])

test('defaults: udp to 127.0.0.1:514, facility user, APP-NAME from proc, SD-ID threadlog@32473', () => {
  const resolved = resolveSyslogOptions(undefined)
  assert.deepEqual({ ...resolved, tls: undefined }, {
    protocol: 'udp', host: '127.0.0.1', port: 514, path: '/dev/log', facility: 1, appName: undefined, msgId: undefined,
    message: 'text', sdId: 'threadlog@32473', bufferBytes: 4 * 1024 * 1024, retryDelayMs: 100, maxRetryDelayMs: 5000, closeTimeoutMs: 5000, tls: undefined
  })
  assert.equal(resolveSyslogOptions({ protocol: 'tls' }).port, 6514)
})

test('"syslog" is a built-in target: its module is threadlog\'s own transport', () => {
  const [resolved] = resolveTargets([{ target: 'syslog', options: { protocol: 'tcp', port: 5140 } }])
  assert.equal(resolved?.name, 'syslog')
  assert.equal(resolved.kind, 'transport')
  assert.equal(resolved.module, new URL('../../transports/syslog.ts', import.meta.url).href)
})

test('bad options throw at createLogger time, naming the option', () => {
  const cases: Array<[Record<string, unknown>, ErrorConstructor, string]> = [
    [{ protocol: 'tcp6' }, RangeError, 'option "targets[0].options.protocol" must be one of tcp, udp, unix, tls, got "tcp6"'],
    [{ port: 0 }, RangeError, 'option "targets[0].options.port" must be between 1 and 65535, got 0'],
    [{ port: '514' }, TypeError, 'option "targets[0].options.port" must be an integer'],
    [{ host: '' }, TypeError, 'option "targets[0].options.host" must be a non-empty string'],
    [{ facility: 'local8' }, RangeError, 'option "targets[0].options.facility" must be one of kern, user,'],
    [{ facility: 24 }, RangeError, 'option "targets[0].options.facility" must be between 0 and 23, got 24'],
    [{ appName: 'my app' }, RangeError, 'option "targets[0].options.appName" must be 1–48 printable US-ASCII characters'],
    [{ msgId: 'x'.repeat(33) }, RangeError, 'option "targets[0].options.msgId" must be 1–32 printable US-ASCII characters'],
    [{ message: 'xml' }, RangeError, 'option "targets[0].options.message" must be "text" or "json", got "xml"'],
    [{ enterpriseId: 'acme' }, RangeError, 'option "targets[0].options.enterpriseId" must be a private enterprise number'],
    [{ bufferBytes: -1 }, RangeError, 'option "targets[0].options.bufferBytes" must be between 0 and'],
    [{ retryDelayMs: 500, maxRetryDelayMs: 100 }, RangeError, 'option "targets[0].options.maxRetryDelayMs" must be between 500 and 600000, got 100'],
    [{ rejectUnauthorized: 'no' }, TypeError, 'option "targets[0].options.rejectUnauthorized" must be a boolean'],
    [{ ca: 42 }, TypeError, 'option "targets[0].options.ca" must be a PEM string or an array of them'],
    [{ adress: 'x' }, TypeError, 'option "targets[0].options.adress" is not a syslog option']
  ]
  for (const [options, type, message] of cases) {
    assert.throws(syslog(options), (error: Error) => error instanceof type && error.message.startsWith(`threadlog: ${message}`), JSON.stringify(options))
  }
})

test('the transport, used on its own, names its options as syslog options', () => {
  assert.throws(() => resolveSyslogOptions({ port: 70000 }), { name: 'RangeError', message: 'threadlog: syslog option "port" must be between 1 and 65535, got 70000' })
  assert.throws(() => resolveSyslogOptions('udp'), { name: 'TypeError', message: 'threadlog: syslog options must be an object' })
})
