import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'

export type LogRecord = Record<string, unknown>

/** The thread name of the hub's own records. */
export const HUB_THREAD = 'threadlog-hub'

/** Every non-empty line of NDJSON text, parsed; throws on the first line that is not valid JSON, naming it. */
export function parseNdjson (text: string): LogRecord[] {
  return text.split('\n').filter((line) => line !== '').map((line, index) => {
    try {
      return JSON.parse(line) as LogRecord
    } catch {
      throw new Error(`line ${index + 1} is not JSON: ${line.slice(0, 200)}`)
    }
  })
}

/** Every line of an NDJSON file, parsed; throws on the first line that is not valid JSON. */
export function readRecords (file: string): LogRecord[] {
  const text = readFileSync(file, 'utf8')
  assert.ok(text === '' || text.endsWith('\n'), 'the file ends with a whole line')
  return parseNdjson(text)
}

/**
 * Asserts that each application thread's records arrived exactly once and in order: `seq` runs
 * 1..count per thread of each process. Returns the count per thread name.
 */
export function assertWholeAndOrdered (records: LogRecord[]): Map<string, number> {
  return new Map([...countPerSource(records)].map(([key, count]) => [key.split('/')[1] as string, count]))
}

/**
 * Like {@link assertWholeAndOrdered}, for records of several processes: returns the count per
 * source, keyed `pid/thread`.
 */
export function countPerSource (records: LogRecord[]): Map<string, number> {
  const seqs = new Map<string, number[]>()
  for (const record of records) {
    if (record.thread === HUB_THREAD) continue
    const key = `${record.pid as number}/${record.thread as string}`
    const list = seqs.get(key) ?? []
    list.push(record.seq as number)
    seqs.set(key, list)
  }
  const counts = new Map<string, number>()
  for (const [key, list] of seqs) {
    assert.deepEqual(list, Array.from({ length: list.length }, (_, i) => i + 1), `seq of ${key} runs 1..n, in order`)
    counts.set(key, list.length)
  }
  return counts
}

/** The hub's own records with a given message. */
export function hubRecords (records: LogRecord[], msg: string): LogRecord[] {
  return records.filter((record) => record.thread === HUB_THREAD && record.msg === msg)
}
