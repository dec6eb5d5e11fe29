// The RECORDS and SELECTED frames an attach client gets: records copied out of the hub's batch once,
// in frames small enough that a client's 4 MiB budget is never one frame.
import type { RecordBatch } from '../ring/record-batch.ts'
import { FRAME_HEADER_BYTES, FrameType, encodeFrame } from '../tree/frames.ts'
import type { Kept } from './selection.ts'

/** About the most bytes of records a frame carries (one record may be larger). */
export const RECORDS_FRAME_BYTES = 256 * 1024

/** Frames, each with how many records it carries (what a client misses when one does not fit). */
export type Frames = Array<{ frame: Buffer, records: number }>

/** Frames of records `[from, to)` of `batch`, of at most about RECORDS_FRAME_BYTES each (one record may be larger). */
export function cutIntoFrames (batch: RecordBatch, type: FrameType, from: number, to: number): Frames {
  const frames: Frames = []
  let first = from
  for (let index = from + 1; index <= to; index++) {
    if (index < to && batch.endOf(index) - batch.startOf(first) <= RECORDS_FRAME_BYTES) continue
    frames.push({ frame: encodeFrame(type, batch.bytes(first, index)), records: index - first })
    first = index
  }
  return frames
}

/**
 * Frames of the kept ranges of `batch`, in order: ranges of one type share frames of at most about
 * RECORDS_FRAME_BYTES, each copied from the batch once. A range larger than that is cut.
 */
export function framesOfRanges (batch: RecordBatch, kept: Kept): Frames {
  const frames: Frames = []
  let pending: Array<[number, number]> = []
  let pendingBytes = 0
  let pendingType: FrameType = FrameType.RECORDS
  const flush = () => {
    if (pending.length === 0) return
    const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + pendingBytes)
    frame.writeUInt32BE(pendingBytes, 0)
    frame.writeUInt8(pendingType, 4)
    let at = FRAME_HEADER_BYTES
    let records = 0
    for (const [from, to] of pending) {
      at += batch.bytes(from, to).copy(frame, at)
      records += to - from
    }
    frames.push({ frame, records })
    pending = []
    pendingBytes = 0
  }
  kept.starts.forEach((start, range) => {
    const [end, type] = [kept.ends[range] as number, kept.types[range] as FrameType]
    if (type !== pendingType) flush()
    pendingType = type
    const bytes = batch.startOf(end) - batch.startOf(start)
    if (pendingBytes + bytes <= RECORDS_FRAME_BYTES) {
      pending.push([start, end])
      pendingBytes += bytes
      return
    }
    flush()
    if (bytes <= RECORDS_FRAME_BYTES) {
      pending.push([start, end])
      pendingBytes = bytes
    } else {
      frames.push(...cutIntoFrames(batch, type, start, end))
    }
  })
  flush()
  return frames
}
