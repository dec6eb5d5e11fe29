import assert from 'node:assert/strict'
import { test } from 'node:test'
import fc from 'fast-check'
import {
  FRAME_HEADER_BYTES, FrameDecoder, FrameError, FrameType, MAX_FRAME_BYTES, encodeFrame, countRecords, type Frame
} from '../../src/tree/frames.ts'

const frameType = fc.constantFrom(...Object.values(FrameType))
const validFrame = fc.record({ type: frameType, payload: fc.string({ maxLength: 300 }) })

/** Feeds `bytes` to a decoder in chunks cut at `cuts`; returns the frames, or the error it threw. */
function decodeInChunks (bytes: Buffer, cuts: number[]): { frames: Frame[], error?: unknown } {
  const decoder = new FrameDecoder()
  const frames: Frame[] = []
  let start = 0
  try {
    for (const end of [...cuts.map((cut) => cut % (bytes.length + 1)).sort((a, b) => a - b), bytes.length]) {
      frames.push(...decoder.push(bytes.subarray(start, Math.max(start, end))))
      start = Math.max(start, end)
    }
  } catch (error) {
    return { frames, error }
  }
  return { frames }
}

test('frames come out as they went in, however the stream is cut into chunks', () => {
  fc.assert(fc.property(fc.array(validFrame, { maxLength: 20 }), fc.array(fc.nat(), { maxLength: 10 }), (sent, cuts) => {
    const bytes = Buffer.concat(sent.map(({ type, payload }) => encodeFrame(type, payload)))
    const { frames, error } = decodeInChunks(bytes, cuts)
    assert.equal(error, undefined)
    assert.deepEqual(frames.map(({ type, payload }) => ({ type, payload: payload.toString('utf8') })),
      sent.map(({ type, payload }) => ({ type, payload })))
  }))
})

test('arbitrary bytes either decode into frames or fail with a FrameError, never anything else', () => {
  fc.assert(fc.property(fc.uint8Array({ maxLength: 2000 }), fc.array(fc.nat(), { maxLength: 10 }), (garbage, cuts) => {
    const { error } = decodeInChunks(Buffer.from(garbage), cuts)
    assert.ok(error === undefined || error instanceof FrameError, String(error))
  }))
})

test('an unknown frame type is refused at its header, before its payload arrives', () => {
  const header = Buffer.from([0, 0, 0, 9, 42])
  assert.throws(() => new FrameDecoder().push(header), new FrameError('unknown frame type 42'))
})

test('a frame announcing more than MAX_FRAME_BYTES is refused at its header', () => {
  const header = Buffer.alloc(FRAME_HEADER_BYTES)
  header.writeUInt32BE(MAX_FRAME_BYTES + 1, 0)
  header.writeUInt8(FrameType.RECORDS, 4)
  assert.throws(() => new FrameDecoder().push(header), new FrameError(`frame of ${MAX_FRAME_BYTES + 1} bytes exceeds ${MAX_FRAME_BYTES}`))
})

test('a frame cut short leaves its bytes pending, which tells a hang-up mid-frame apart', () => {
  const frame = encodeFrame(FrameType.RECORDS, '{"level":30}\n')
  const decoder = new FrameDecoder()
  assert.deepEqual(decoder.push(frame.subarray(0, 8)), [])
  assert.equal(decoder.pendingBytes, 8)
})

test('a records frame is counted in whole lines', () => {
  assert.equal(countRecords(Buffer.from('{"a":1}\n{"b":"é"}\n')), 2)
  assert.equal(countRecords(Buffer.from('{"a":"x\\ny"}\n')), 1)
})

test('a records frame that is not whole NDJSON objects is refused, naming what is wrong', () => {
  assert.throws(() => countRecords(Buffer.from('{"a":1}')), new FrameError('records frame does not end with a newline'))
  assert.throws(() => countRecords(Buffer.from([0x7b, 0xff, 0x0a])), new FrameError('records frame is not UTF-8'))
  assert.throws(() => countRecords(Buffer.from('{"a":1}\nplain text\n')), new FrameError('record 2 is not a JSON object'))
  assert.throws(() => countRecords(Buffer.alloc(0)), new FrameError('records frame does not end with a newline'))
})
