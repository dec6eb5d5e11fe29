import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createLogger } from '../../src/index.ts'
import { collectLines } from '../helpers/collect.ts'

const cases: Array<[string, unknown, string, RegExp]> = [
  ['options not an object', true, 'TypeError', /options must be an object/],
  ['name not a string', { name: 42 }, 'TypeError', /option "name"/],
  ['name empty', { name: '  ' }, 'RangeError', /option "name"/],
  ['threadName not a string', { threadName: {} }, 'TypeError', /option "threadName"/],
  ['threadName empty', { threadName: '' }, 'RangeError', /option "threadName"/],
  ['context not a boolean', { context: 'yes' }, 'TypeError', /option "context"/],
  ['destination without write', { destination: {} }, 'TypeError', /option "destination"/],
  ['targets empty', { targets: [] }, 'TypeError', /option "targets"/],
  ['target name missing', { targets: [{ target: '' }] }, 'TypeError', /option "targets\[0\]\.target"/],
  ['target module unknown', { targets: [{ target: 'no-such-transport' }] }, 'RangeError', /option "targets\[0\]\.target": cannot find/],
  ['file target without path', { targets: [{ target: 'file' }] }, 'TypeError', /option "targets\[0\]\.options\.path"/],
  ['target level unknown', { targets: [{ target: 'ndjson', level: 'loud' }] }, 'RangeError', /option "targets\[0\]\.level"/],
  ['pretty target with a bad format', { targets: [{ target: 'pretty', options: { format: '{time' } }] }, 'RangeError',
    /^threadlog: option "targets\[0\]\.options\.format": unclosed "\{" at position 0$/],
  ['pretty target with a format not a string', { targets: [{ target: 'pretty', options: { format: 42 } }] }, 'TypeError',
    /^threadlog: option "targets\[0\]\.options\.format" must be a string, got number$/],
  ['pretty target with colorLine not a boolean', { targets: [{ target: 'pretty', options: { colorLine: 'yes' } }] }, 'TypeError',
    /^threadlog: option "targets\[0\]\.options\.colorLine" must be a boolean, got string$/],
  ['pretty target with colorize not a boolean', { targets: [{ target: 'pretty', options: { colorize: 1 } }] }, 'TypeError',
    /^threadlog: option "targets\[0\]\.options\.colorize" must be a boolean, got number$/],
  ['pretty target with multiline not a boolean', { targets: [{ target: 'pretty', options: { multiline: 'no' } }] }, 'TypeError',
    /^threadlog: option "targets\[0\]\.options\.multiline" must be a boolean, got string$/],
  ['second target, pretty, with an empty destination', { targets: [{ target: 'ndjson' }, { target: 'pretty', options: { destination: '' } }] },
    'TypeError', /^threadlog: option "targets\[1\]\.options\.destination" must be a file descriptor or a non-empty path$/],
  ['exportHub not a boolean', { exportHub: 'no' }, 'TypeError', /option "exportHub"/],
  ['overflow unknown', { overflow: 'spill' }, 'RangeError', /option "overflow"/],
  ['ringSize not an integer', { ringSize: 1.5 }, 'TypeError', /option "ringSize"/],
  ['ringSize too small', { ringSize: 1024 }, 'RangeError', /option "ringSize"/],
  ['flushTimeoutMs not positive', { flushTimeoutMs: 0 }, 'RangeError', /option "flushTimeoutMs"/],
  ['logUncaught not a boolean', { logUncaught: 1 }, 'TypeError', /option "logUncaught"/],
  ['formatters.identity not a function', { formatters: { identity: {} } }, 'TypeError', /option "formatters\.identity" must be a function/],
  ['transport and targets together', { transport: { target: 'pino/file' }, targets: [{ target: 'ndjson' }] }, 'TypeError',
    /either option "transport" or option "targets"/],
  ['transport with a pipeline', { transport: { pipeline: [{ target: 'pino/file' }] } }, 'TypeError', /option "transport\.pipeline" is not supported/],
  ['transport with an unknown module', { transport: { target: 'no-such-transport' } }, 'RangeError', /option "targets\[0\]\.target": cannot find/]
]

for (const [title, options, name, message] of cases) {
  test(`bad configuration throws at construction: ${title}`, () => {
    assert.throws(() => createLogger(options as never), { name, message })
  })
}

test('threadName and name options set thread and proc', () => {
  const sink = collectLines()
  createLogger({ destination: sink, name: 'api', threadName: 'boss' }).info('x')
  const record = sink.records()[0]
  assert.deepEqual([record?.proc, record?.thread, record?.tid], ['api', 'boss', 0])
})
