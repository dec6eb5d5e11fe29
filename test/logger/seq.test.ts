import assert from 'node:assert/strict'
import { test } from 'node:test'
import { createLogger } from '../../src/index.ts'
import { collectLines } from '../helpers/collect.ts'

test('seq is contiguous across all loggers and child loggers of a thread', () => {
  const sink = collectLines()
  const a = createLogger({ destination: sink })
  const b = createLogger({ destination: sink, name: 'other' })
  const child = a.child({ part: 1 })
  const grandchild = child.child({ part: 2 })
  for (let i = 0; i < 10; i++) {
    a.info('a'); b.warn('b'); child.error('c'); grandchild.info({ i }, 'd')
  }
  const seqs = sink.records().map((r) => r.seq as number)
  assert.equal(seqs.length, 40)
  const first = seqs[0] as number
  assert.deepEqual(seqs, Array.from({ length: 40 }, (_, i) => first + i))
})

test('records below the level consume no seq', () => {
  const sink = collectLines()
  const log = createLogger({ destination: sink, level: 'info' })
  log.info('1'); log.debug('skipped'); log.trace('skipped'); log.info('2')
  const [one, two] = sink.records()
  assert.equal((two?.seq as number) - (one?.seq as number), 1)
})

test('pino options keep working: level, messageKey, base, timestamp, mixin, serializers', () => {
  const sink = collectLines()
  const log = createLogger({
    destination: sink,
    level: 'debug',
    messageKey: 'message',
    base: { env: 'test' },
    timestamp: () => ',"time":"fixed"',
    mixin: () => ({ mixed: true }),
    serializers: { user: (user: { id: number }) => user.id }
  })
  log.debug({ user: { id: 9 } }, 'hi')
  const record = sink.records()[0]
  assert.deepEqual(
    [record?.level, record?.message, record?.env, record?.time, record?.mixed, record?.user, record?.msg],
    [20, 'hi', 'test', 'fixed', true, 9, undefined]
  )
  // A base of one's own replaces pino's pid and hostname, as in pino.
  assert.deepEqual(Object.keys(record ?? {}), ['level', 'time', 'ppid', 'proc', 'tid', 'thread', 'seq', 'env', 'mixed', 'user', 'message'])
})

test('timestamp: false drops time but keeps the identity', () => {
  const sink = collectLines()
  createLogger({ destination: sink, timestamp: false }).info('x')
  assert.deepEqual(Object.keys(sink.records()[0] ?? {}).slice(0, 3), ['level', 'pid', 'hostname'])
})

test('a user logMethod hook still runs', () => {
  const sink = collectLines()
  const log = createLogger({
    destination: sink,
    hooks: { logMethod (args, method) { method.apply(this, [{ hooked: true }, ...args] as never) } }
  })
  log.info('x')
  assert.deepEqual([sink.records()[0]?.hooked, sink.records()[0]?.msg], [true, 'x'])
})

test('redact keeps working on call fields', () => {
  const sink = collectLines()
  createLogger({ destination: sink, redact: ['password'] }).info({ password: 'hunter2' }, 'login')
  assert.equal(sink.records()[0]?.password, '[Redacted]')
})
