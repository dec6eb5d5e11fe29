import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { RING_FRAME_HEADER_BYTES, MIN_RING_SIZE, alignFrame, allocateRing } from '../../src/ring/layout.ts'
import { RecordBatch } from '../../src/ring/record-batch.ts'
import { RingReader } from '../../src/ring/ring-reader.ts'
import { RingWriter } from '../../src/ring/ring-writer.ts'

test('records of any text come out of a ring byte for byte and in order, across its wrap', () => {
  // The reader drains only when the next record might not fit, so that the ring fills up and
  // records land everywhere, straddling its end too: both the one-pass write and the measured one run.
  const record = fc.string({ unit: 'binary', maxLength: 700 }).map((text) => `${JSON.stringify({ level: 30, text })}\n`)
  fc.assert(fc.property(fc.array(record, { maxLength: 80 }), (lines) => {
    const buffer = allocateRing(MIN_RING_SIZE)
    const writer = new RingWriter(buffer, { overflow: 'drop', stallTimeoutMs: 0, wakeHub: () => {} })
    const reader = new RingReader(buffer)
    const batch = new RecordBatch()
    for (const line of lines) {
      if (writer.pendingBytes() + alignFrame(RING_FRAME_HEADER_BYTES + Buffer.byteLength(line)) > MIN_RING_SIZE) {
        reader.drain(batch, Number.POSITIVE_INFINITY)
      }
      assert.equal(writer.write(line), true)
    }
    reader.drain(batch, Number.POSITIVE_INFINITY)
    assert.deepEqual(batch.lines(), lines)
    assert.equal(writer.pendingBytes(), 0)
  }), { numRuns: 200 })
})

test('a record that fits only once measured is written exactly: room for its bytes, not for three per character', () => {
  const buffer = allocateRing(MIN_RING_SIZE)
  const writer = new RingWriter(buffer, { overflow: 'drop', stallTimeoutMs: 0, wakeHub: () => {} })
  const line = `${'x'.repeat(MIN_RING_SIZE / 2 - 8)}\n` // fits the ring; three bytes per character would not
  assert.equal(writer.write(line), true)
  const batch = new RecordBatch()
  new RingReader(buffer).drain(batch, Number.POSITIVE_INFINITY)
  assert.deepEqual(batch.lines(), [line])
})
