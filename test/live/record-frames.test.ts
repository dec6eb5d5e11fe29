import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import { RECORDS_FRAME_BYTES, cutIntoFrames, framesOfRanges, type Frames } from '../../src/live/record-frames.ts'
import { RecordBatch } from '../../src/ring/record-batch.ts'
import { FrameDecoder, FrameType } from '../../src/tree/frames.ts'

/** A batch of `sizes.length` records, record i `sizes[i]` bytes long (its `\n` included) and naming i. */
function batchOf (sizes: readonly number[]): RecordBatch {
  const batch = new RecordBatch()
  sizes.forEach((size, index) => {
    const head = `{"i":${index},"pad":"`
    batch.appendString(head + 'x'.repeat(Math.max(0, size - head.length - 3)) + '"}\n')
  })
  return batch
}

/** Each frame as its type and the record numbers it carries, after checking its header and its count. */
function decode (frames: Frames): Array<{ type: number, records: number[] }> {
  const decoder = new FrameDecoder()
  return frames.map(({ frame, records }) => {
    const [decoded] = decoder.push(frame)
    assert.ok(decoded !== undefined)
    const numbers = decoded.payload.toString('utf8').trimEnd().split('\n').map((line) => (JSON.parse(line) as { i: number }).i)
    assert.equal(numbers.length, records)
    return { type: decoded.type, records: numbers }
  })
}

test('ranges of one type share frames; a change of type starts a new frame', () => {
  const batch = batchOf([100, 100, 100, 100, 100])
  const frames = framesOfRanges(batch, { starts: [0, 2, 3], ends: [1, 3, 5], types: [FrameType.SELECTED, FrameType.SELECTED, FrameType.RECORDS] })
  assert.deepEqual(decode(frames), [{ type: FrameType.SELECTED, records: [0, 2] }, { type: FrameType.RECORDS, records: [3, 4] }])
})

test('frames hold at most about RECORDS_FRAME_BYTES; a range larger than that is cut between records', () => {
  const size = RECORDS_FRAME_BYTES / 4
  const batch = batchOf(Array.from({ length: 10 }, () => size))
  const frames = framesOfRanges(batch, { starts: [0, 3], ends: [2, 10], types: [FrameType.SELECTED, FrameType.SELECTED] })
  assert.deepEqual(decode(frames).map(({ records }) => records), [[0, 1], [3, 4, 5, 6], [7, 8, 9]])
  assert.ok(frames.every(({ frame }) => frame.length <= RECORDS_FRAME_BYTES + 5))
})

test('a record larger than a frame travels alone', () => {
  const batch = batchOf([10, RECORDS_FRAME_BYTES * 2, 10])
  assert.deepEqual(decode(cutIntoFrames(batch, FrameType.RECORDS, 0, 3)).map(({ records }) => records), [[0], [1], [2]])
  assert.deepEqual(decode(framesOfRanges(batch, { starts: [0], ends: [3], types: [FrameType.RECORDS] })).map(({ records }) => records), [[0], [1], [2]])
})

test('property: the frames carry exactly the kept records, in order, each once', () => {
  fc.assert(fc.property(fc.array(fc.integer({ min: 20, max: RECORDS_FRAME_BYTES / 2 }), { minLength: 1, maxLength: 24 }),
    fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }), fc.array(fc.boolean(), { minLength: 24, maxLength: 24 }), (sizes, keep, selected) => {
      const batch = batchOf(sizes)
      const kept = { starts: [] as number[], ends: [] as number[], types: [] as number[] }
      const expected: Array<[number, number]> = []
      sizes.forEach((_, index) => {
        if (keep[index] !== true) return
        const type = selected[index] === true ? FrameType.SELECTED : FrameType.RECORDS
        kept.starts.push(index)
        kept.ends.push(index + 1)
        kept.types.push(type)
        expected.push([index, type])
      })
      const got = decode(framesOfRanges(batch, kept as Parameters<typeof framesOfRanges>[1])).flatMap(({ type, records }) => records.map((i) => [i, type]))
      assert.deepEqual(got, expected)
    }), { numRuns: 200 })
})
