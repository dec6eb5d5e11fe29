import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createLogger } from '../../src/index.ts'
import { collectLines } from '../helpers/collect.ts'

const cases: Array<[string, unknown, string, RegExp]> = [
  ['options not an object', 'verbose', 'TypeError', /options must be an object/],
  ['name not a string', { name: 42 }, 'TypeError', /option "name"/],
  ['name empty', { name: '  ' }, 'RangeError', /option "name"/],
  ['threadName not a string', { threadName: {} }, 'TypeError', /option "threadName"/],
  ['threadName empty', { threadName: '' }, 'RangeError', /option "threadName"/],
  ['context not a boolean', { context: 'yes' }, 'TypeError', /option "context"/],
  ['destination without write', { destination: {} }, 'TypeError', /option "destination"/]
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
