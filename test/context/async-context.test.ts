import assert from 'node:assert/strict'
// Used to interleave the 1000 flows across event-loop turns, not to wait for anything.
import { setImmediate as yieldToLoop } from 'node:timers/promises'
import { test } from 'node:test'
import { captureContext, createLogger, getContext, withContext } from '../../src/index.ts'
import { collectLines } from '../helpers/collect.ts'

test('1000 concurrent async flows never see each other\'s context', async () => {
  const sink = collectLines()
  const log = createLogger({ destination: sink })
  await Promise.all(Array.from({ length: 1000 }, (_, flow) => withContext({ flow }, async () => {
    log.info({ expected: flow, step: 1 })
    await yieldToLoop()
    log.info({ expected: flow, step: 2 })
    await Promise.resolve()
    log.info({ expected: flow, step: 3 })
  })))
  const records = sink.records()
  assert.equal(records.length, 3000)
  assert.equal(records.filter((r) => r.flow !== r.expected).length, 0)
  assert.equal(new Set(records.map((r) => `${r.flow as number}:${r.step as number}`)).size, 3000)
})

test('nested scopes merge and the inner value wins; the outer scope is restored after', () => {
  const sink = collectLines()
  const log = createLogger({ destination: sink })
  withContext({ a: 1, b: 1 }, () => {
    withContext({ b: 2, c: 3 }, () => log.info('inner'))
    log.info('outer')
  })
  log.info('outside')
  const [inner, outer, outside] = sink.records()
  assert.deepEqual([inner?.a, inner?.b, inner?.c], [1, 2, 3])
  assert.deepEqual([outer?.a, outer?.b, outer?.c], [1, 1, undefined])
  assert.deepEqual([outside?.a, outside?.b, outside?.c], [undefined, undefined, undefined])
})

test('context fields come right after the identity, before the call fields and msg', () => {
  const sink = collectLines()
  const log = createLogger({ destination: sink })
  withContext({ reqId: 'r1', user: 42 }, () => log.info({ size: 3 }, 'resized'))
  assert.deepEqual(Object.keys(sink.records()[0] ?? {}).slice(8), ['seq', 'reqId', 'user', 'size', 'msg'])
})

test('a call field wins over a context field of the same name, and the key appears once', () => {
  const sink = collectLines()
  const log = createLogger({ destination: sink })
  withContext({ reqId: 'ctx', user: 42 }, () => log.info({ reqId: 'call' }, 'x'))
  const line = sink.lines[0] ?? ''
  assert.equal(line.split('"reqId"').length - 1, 1)
  const record = sink.records()[0]
  assert.equal(record?.reqId, 'call')
  assert.equal(record?.user, 42)
})

test('an undefined call field does not shadow the context field', () => {
  const sink = collectLines()
  const log = createLogger({ destination: sink })
  withContext({ reqId: 'ctx' }, () => log.info({ reqId: undefined }, 'x'))
  assert.equal(sink.records()[0]?.reqId, 'ctx')
})

test('child loggers carry the context and their own bindings', () => {
  const sink = collectLines()
  const child = createLogger({ destination: sink }).child({ component: 'db' })
  withContext({ reqId: 'r2' }, () => child.warn('slow'))
  const record = sink.records()[0]
  assert.deepEqual([record?.reqId, record?.component, record?.level], ['r2', 'db', 40])
})

test('with context: false, records carry no context fields', () => {
  const sink = collectLines()
  const log = createLogger({ destination: sink, context: false })
  withContext({ reqId: 'r3' }, () => log.info('x'))
  assert.deepEqual(Object.keys(sink.records()[0] ?? {}), ['level', 'time', 'pid', 'hostname', 'ppid', 'proc', 'tid', 'thread', 'seq', 'msg'])
})

test('getContext returns a copy of the current fields, and {} outside any scope', () => {
  assert.deepEqual(getContext(), {})
  withContext({ a: 1 }, () => {
    const fields = getContext()
    assert.deepEqual(fields, { a: 1 })
    fields.a = 2
    assert.deepEqual(getContext(), { a: 1 })
  })
})

test('captureContext is structured-cloneable and holds what records carry', () => {
  const circular: Record<string, unknown> = { name: 'loop' }
  circular.self = circular
  withContext({ reqId: 'r4', big: 10n, when: new Date(0), circular, fn: () => 1, pid: 1 }, () => {
    const captured = captureContext()
    assert.deepEqual(structuredClone(captured), {
      reqId: 'r4', big: 10, when: '1970-01-01T00:00:00.000Z', circular: { name: 'loop', self: '[Circular]' }
    })
  })
  assert.deepEqual(captureContext(), {})
})

test('reserved names are kept out of records but stay visible to getContext', () => {
  const sink = collectLines()
  const log = createLogger({ destination: sink })
  withContext({ pid: -1, msg: 'ctx', reqId: 'r5' }, () => {
    log.info('real')
    assert.equal(getContext().pid, -1)
  })
  const record = sink.records()[0]
  assert.deepEqual([record?.pid, record?.msg, record?.reqId], [process.pid, 'real', 'r5'])
})

test('withContext returns the function\'s result, sync and async', async () => {
  assert.equal(withContext({ a: 1 }, () => 7), 7)
  assert.equal(await withContext({ a: 1 }, async () => 8), 8)
})

test('withContext rejects bad arguments with a TypeError naming them', () => {
  assert.throws(() => withContext(null as never, () => 1), { name: 'TypeError', message: /"fields"/ })
  assert.throws(() => withContext({}, 'x' as never), { name: 'TypeError', message: /"fn"/ })
})
