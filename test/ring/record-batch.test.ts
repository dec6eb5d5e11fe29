import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { RecordBatch } from '../../src/ring/record-batch.ts'

/** A serialized record: level first, as pino writes it, and any text (astral, control, lone surrogates become U+FFFD). */
const arbitraryRecord = fc.record({ level: fc.constantFrom(10, 20, 30, 40, 50, 60), msg: fc.string({ unit: 'binary' }) })
  .map((fields) => `${JSON.stringify(fields)}\n`)

/** Appends `lines` to `batch` the three ways records reach a hub: a ring's bytes, the hub's own strings, a child's frame. */
function appendEveryWay (batch: RecordBatch, lines: readonly string[], ways: readonly number[]): void {
  for (let index = 0; index < lines.length;) {
    const line = lines[index] as string
    const way = ways[index % ways.length]
    if (way === 0) {
      const bytes = Buffer.from(`xx${line}yy`)
      batch.appendRecord(bytes, 2, bytes.length - 2)
      index++
    } else if (way === 1) {
      batch.appendString(line)
      index++
    } else {
      const run = lines.slice(index, index + 3)
      batch.appendLines(Buffer.from(run.join('')))
      index += run.length
    }
  }
}

test('records appended from ring bytes, strings and frames come out as the same bytes and lines, in order', () => {
  fc.assert(fc.property(fc.array(arbitraryRecord, { maxLength: 40 }), fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1 }), (lines, ways) => {
    const batch = new RecordBatch(16)
    appendEveryWay(batch, lines, ways)
    assert.equal(batch.count, lines.length)
    assert.deepEqual(batch.lines(), lines)
    assert.equal(batch.bytes().toString('utf8'), lines.join(''))
    assert.equal(batch.byteLength, Buffer.byteLength(lines.join('')))
  }))
})

test('a record that wraps around the end of a ring is joined whole', () => {
  const ring = Buffer.from('cord"}\n......{"level":30,"msg":"re')
  const batch = new RecordBatch()
  batch.appendRecord(ring, 13, ring.length, 7)
  assert.deepEqual(batch.lines(), ['{"level":30,"msg":"record"}\n'])
})

test('atLeast keeps exactly the records at or above a level, in their order', () => {
  fc.assert(fc.property(fc.array(arbitraryRecord, { maxLength: 40 }), fc.constantFrom(10, 30, 35, 60, 70), (lines, minLevel) => {
    const batch = new RecordBatch(16)
    appendEveryWay(batch, lines, [0, 1, 2])
    const expected = lines.filter((line) => (JSON.parse(line) as { level: number }).level >= minLevel)
    assert.deepEqual(batch.atLeast(minLevel).lines(), expected)
  }))
})

test('the level is the first field, a number or a label of any formatter; anything else reads as 0', () => {
  const batch = RecordBatch.fromLines([
    '{"level":"info","msg":"a"}', '{"msg":"b","level":30}', '{"level":40}', '{"lev',
    '{"log.level":"warn","message":"ecs"}', '{"severity":"WARNING"}', '{"level":"ERROR"}', '{"level":"no such level"}'
  ].join('\n') + '\n')
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6, 7].map((index) => batch.levelOf(index)), [30, 0, 40, 0, 40, 40, 50, 0])
  assert.deepEqual(batch.atLeast(40).lines(), ['{"level":40}\n', '{"log.level":"warn","message":"ecs"}\n', '{"severity":"WARNING"}\n', '{"level":"ERROR"}\n'])
})

test('a slice is a copy: the batch refilled by the next cycle does not change it', () => {
  const batch = RecordBatch.fromLines('{"level":30,"n":1}\n{"level":30,"n":2}\n{"level":30,"n":3}\n')
  const slice = batch.slice(1, 3)
  batch.clear()
  batch.appendString('{"level":50,"n":"overwritten"}\n')
  assert.deepEqual(slice.lines(), ['{"level":30,"n":2}\n', '{"level":30,"n":3}\n'])
  assert.deepEqual(batch.lines(), ['{"level":50,"n":"overwritten"}\n'])
})

test('bytes of a range of records start and end on record boundaries', () => {
  const batch = RecordBatch.fromLines('{"a":1}\n{"b":"é"}\n{"c":3}\n')
  assert.equal(batch.bytes(1, 2).toString(), '{"b":"é"}\n')
  assert.equal(batch.bytes(0, 0).length, 0)
  assert.deepEqual([0, 1, 2].map((index) => [batch.startOf(index), batch.endOf(index)]), [[0, 8], [8, 19], [19, 27]])
})

test('a run of lines appended to a reused batch makes exactly its own records, even without a last newline', () => {
  const batch = new RecordBatch()
  batch.appendLines(Buffer.from('{"n":1}\n'.repeat(1000)))
  batch.clear() // the buffer keeps the old bytes, newlines included
  batch.appendLines(Buffer.from('{"n":2}\n{"n":3}'))
  assert.deepEqual(batch.lines(), ['{"n":2}\n', '{"n":3}'])
})
