import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { createLogger, withContext } from '../../src/index.ts'
import { collectLines } from '../helpers/collect.ts'

function circular (): unknown {
  const node: Record<string, unknown> = { name: 'node' }
  node.self = node
  node.list = [node, { parent: node }]
  return node
}

function throwingGetter (): unknown {
  return Object.defineProperty({ ok: 1 }, 'bad', { enumerable: true, get () { throw new Error('getter exploded') } })
}

function throwingToJSON (): unknown {
  return { toJSON () { throw new Error('toJSON exploded') } }
}

function hostileProxy (): unknown {
  return new Proxy({}, { ownKeys () { throw new Error('trap') }, get () { throw new Error('trap') } })
}

function errorWithThrowingStack (): unknown {
  const error = new Error('boom')
  Object.defineProperty(error, 'stack', { get () { throw new Error('no stack') } })
  return error
}

const hostile = fc.constantFrom(circular, throwingGetter, throwingToJSON, hostileProxy, errorWithThrowingStack)
  .map((make) => make())

const anyValue = fc.oneof(
  fc.anything({ withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withDate: true, withNullPrototype: true, withTypedArray: true, withSparseArray: true }),
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((code) => String.fromCharCode(code)) }),
  fc.constant(Symbol('sym')),
  fc.constant(10n ** 30n),
  hostile,
  fc.dictionary(fc.string(), hostile)
)

/** Every way a value can reach pino: as the object, as the message, and as format arguments. */
const calls: Array<(log: ReturnType<typeof createLogger>, value: unknown) => void> = [
  (log, value) => log.info(value as object),
  (log, value) => log.warn(value as object, 'with message'),
  (log, value) => log.error('format %s %d %o %j', ...[value, value, value, value] as never[]),
  (log, value) => log.child({ bound: value }).info('from child'),
  (log, value) => withContext({ ctx: value }, () => log.info({ call: value }, 'in context'))
]

test('no value makes a log call throw, and every call writes exactly one valid JSON line', () => {
  const sink = collectLines()
  const log = createLogger({ destination: sink, level: 'trace' })
  fc.assert(fc.property(anyValue, (value) => {
    const before = sink.lines.length
    for (const call of calls) call(log, value)
    assert.equal(sink.lines.length - before, calls.length)
    for (const line of sink.lines.slice(before)) {
      assert.ok(line.endsWith('\n'))
      assert.equal(typeof JSON.parse(line), 'object')
    }
  }), { numRuns: 300 })
})

test('a 1 MB message and a 1 MB field are written whole', () => {
  const sink = collectLines()
  const big = 'x'.repeat(1024 * 1024)
  createLogger({ destination: sink }).info({ big }, big)
  const record = sink.records()[0]
  assert.equal((record?.big as string | undefined)?.length, big.length)
  assert.equal((record?.msg as string | undefined)?.length, big.length)
})

test('a record whose fields cannot be serialized keeps its message and says why', () => {
  const sink = collectLines()
  createLogger({ destination: sink }).info(throwingGetter() as object, 'still here')
  const record = sink.records()[0]
  assert.deepEqual([record?.msg, record?.ok, record?.bad], ['still here', 1, '[Throws: Error: getter exploded]'])
})

test('seq stays contiguous across calls that had to be retried', () => {
  const sink = collectLines()
  const log = createLogger({ destination: sink })
  log.info('before')
  log.info(throwingGetter() as object, 'retried')
  log.info('after')
  const seqs = sink.records().map((r) => r.seq as number)
  assert.deepEqual(seqs.map((seq) => seq - (seqs[0] as number)), [0, 1, 2])
})
