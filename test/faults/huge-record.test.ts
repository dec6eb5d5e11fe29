import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import type { LogStats } from '../../src/index.ts'
import { parseNdjson, type LogRecord } from '../helpers/read-records.ts'
import { runFixture } from '../helpers/run-fixture.ts'
import { tempFile } from '../helpers/temp-file.ts'

const HUGE_BYTES = 50 * 1024 * 1024

/** [proc, thread, seq, msg, pad length] of each record, in file order per source. */
const describe = (records: LogRecord[]) =>
  records.map((r) => [r.proc, r.thread, r.seq, r.msg, typeof r.pad === 'string' ? r.pad.length : 0])

test('a 50 MiB record arrives whole from any thread; from a child process it goes whole to the child\'s stderr, said so', { timeout: 120_000 }, async (t) => {
  const file = tempFile()
  const result = await runFixture('faults/huge-record.ts', [file], {}, t.signal)
  assert.equal(result.code, 0, result.stderr.slice(0, 2000))
  const text = readFileSync(file, 'utf8')
  const lines = text.split('\n').filter((line) => line !== '')
  const records = parseNdjson(text)
  const bySource = (proc: string, thread: string) => records.filter((r) => r.proc === proc && r.thread === thread)
  for (const thread of ['main', 'w0']) {
    assert.deepEqual(describe(bySource('huge', thread)),
      [['huge', thread, 1, 'before', 0], ['huge', thread, 2, 'huge', HUGE_BYTES], ['huge', thread, 3, 'after', 0]])
  }
  // A frame to the root holds at most 32 MiB: the child's hub keeps the huge record out of the relay.
  for (const thread of ['main', 'w0']) {
    assert.deepEqual(describe(bySource('huge-child', thread)), [['huge-child', thread, 1, 'before', 0], ['huge-child', thread, 3, 'after', 0]])
  }
  const stderr = result.stderr.split('\n').filter((line) => line !== '')
  const notes = stderr.filter((line) => line.startsWith('threadlog: '))
  const sizes = notes.map((line) => Number(/^threadlog: a record of (\d+) bytes is larger than the root hub takes; written to stderr$/.exec(line)?.[1]))
  const recordLines = stderr.filter((line) => !line.startsWith('threadlog: '))
  assert.deepEqual(describe(parseNdjson(recordLines.join('\n'))).sort(),
    [['huge-child', 'main', 2, 'huge', HUGE_BYTES], ['huge-child', 'w0', 2, 'huge', HUGE_BYTES]])
  assert.deepEqual(sizes.sort(), recordLines.map((line) => Buffer.byteLength(line) + 1).sort(), 'each note gives its record\'s size')
  // The root's counts: every record it wrote, byte for byte; the child's huge records are not its to count.
  const stats = JSON.parse(result.stdout) as LogStats
  const bytesOf = (pid: number, thread?: string) => lines.filter((line) => {
    const record = JSON.parse(line) as LogRecord
    return record.pid === pid && (thread === undefined || record.thread === thread)
  }).reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0)
  const rootPid = bySource('huge', 'main')[0]?.pid as number
  const childPid = bySource('huge-child', 'main')[0]?.pid as number
  assert.deepEqual(stats.sources.map((s) => [s.source, s.written, s.dropped, s.lost, s.bytes]).sort(), [
    [`process huge-child (pid ${childPid})`, 4, 0, 0, bytesOf(childPid)],
    ['thread main (tid 0)', 3, 0, 0, bytesOf(rootPid, 'main')],
    [`thread w0 (tid ${bySource('huge', 'w0')[0]?.tid as number})`, 3, 0, 0, bytesOf(rootPid, 'w0')]
  ].sort())
})
