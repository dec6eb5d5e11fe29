import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createLogger, withContext } from '../../src/index.ts'
import { collectLines } from '../helpers/collect.ts'

// Context fields follow the logger's rules as a child binding would, and a record has one value per key.
function keyCount (line: string, key: string): number {
  return line.split(`"${key}":`).length - 1
}

test('redact applies to context fields: paths, censor and remove', () => {
  const sink = collectLines()
  const censored = createLogger({ redact: ['password', 'user.token'] }, sink)
  const removed = createLogger({ redact: { paths: ['password'], remove: true } }, sink)
  withContext({ password: 's3cret', user: { id: 1, token: 't' } }, () => {
    censored.info('censored')
    removed.info('removed')
  })
  const [a, b] = sink.records()
  assert.deepEqual([a?.password, a?.user], ['[Redacted]', { id: 1, token: '[Redacted]' }])
  assert.deepEqual(['password' in (b ?? {}), b?.user], [false, { id: 1, token: 't' }])
  assert.ok(!sink.lines.join('').includes('s3cret'))
})

test('serializers apply to context fields, including a child logger\'s own', () => {
  const sink = collectLines()
  const log = createLogger({ serializers: { user: (user: { id: number }) => user.id } }, sink)
  const child = log.child({}, { serializers: { req: (req: { url: string }) => req.url } })
  withContext({ user: { id: 7, name: 'n' }, req: { url: '/a', headers: {} } }, () => {
    log.info('root')
    child.info('child')
  })
  const [root, fromChild] = sink.records()
  assert.deepEqual([root?.user, root?.req], [7, { url: '/a', headers: {} }])
  assert.deepEqual([fromChild?.user, fromChild?.req], [7, '/a'])
})

test('a throwing serializer costs the context field its value, not the record', () => {
  const sink = collectLines()
  const log = createLogger({ serializers: { bad: () => { throw new Error('no') } } }, sink)
  withContext({ bad: 1, good: 2 }, () => log.info('kept'))
  const record = sink.records()[0]
  assert.deepEqual([record?.msg, record?.bad, record?.good], ['kept', '[Unserializable: no]', 2])
})

test('a context key equal to a binding, a base key or name is written once, with the binding\'s value', () => {
  const sink = collectLines()
  const log = createLogger({ name: 'api', base: { region: 'eu' } }, sink)
  const child = log.child({ reqId: 'r2' })
  withContext({ reqId: 'r3', region: 'us', name: 'ctx', extra: true }, () => child.info('one key, one value'))
  const line = sink.lines[0] ?? ''
  for (const key of ['reqId', 'region', 'name', 'extra']) assert.equal(keyCount(line, key), 1, key)
  const record = sink.records()[0]
  assert.deepEqual([record?.reqId, record?.region, record?.name, record?.extra], ['r2', 'eu', 'api', true])
})

test('a call field wins over a context field of the same name', () => {
  const sink = collectLines()
  const log = createLogger(sink)
  withContext({ reqId: 'ctx', other: 1 }, () => log.info({ reqId: 'call' }, 'x'))
  assert.equal(keyCount(sink.lines[0] ?? '', 'reqId'), 1)
  assert.deepEqual([sink.records()[0]?.reqId, sink.records()[0]?.other], ['call', 1])
})
