import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { LogStats } from '../../src/index.ts'
import { assertWholeAndOrdered, hubRecords, readRecords } from '../helpers/read-records.ts'
import { runFixture } from '../helpers/run-fixture.ts'
import { tempFile } from '../helpers/temp-file.ts'

const gated = fileURLToPath(new URL('../fixtures/transports/gated.ts', import.meta.url))

test('a worker terminated in the middle of writing a record: no torn record, the cut one counted and reported once', { timeout: 60_000 }, async (t) => {
  const file = tempFile()
  const result = await runFixture('faults/terminate-mid-record.ts', [file, gated], {}, t.signal)
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stderr, '')
  const { returned, stats } = JSON.parse(result.stdout) as { returned: number, stats: LogStats }
  assert.equal(returned, 5)
  const records = readRecords(file)
  // The five records whose log call returned, each whole (1 MiB of padding), and nothing of the sixth.
  assert.deepEqual(Object.fromEntries(assertWholeAndOrdered(records)), { doomed: 5 })
  const doomed = records.filter((r) => r.thread === 'doomed')
  assert.deepEqual(doomed.map((r) => [r.n, (r.pad as string).length]), [1, 2, 3, 4, 5].map((n) => [n, 1024 * 1024]))
  const tid = doomed[0]?.tid as number
  assert.deepEqual(hubRecords(records, `lost 1 records from thread doomed (tid ${tid}): its thread ended in the middle of writing a record`)
    .map((r) => [r.level, r.threadId, r.lost]), [[40, tid, 1]])
  // terminate() was the application's: the exit itself is no warning.
  assert.deepEqual(hubRecords(records, 'thread exited').map((r) => [r.level, r.threadName, r.exitCode, r.terminated]),
    [[20, 'doomed', 1, true]])
  const source = stats.sources.find((s) => s.thread === 'doomed')
  assert.deepEqual([source?.written, source?.dropped, source?.lost], [5, 0, 1])
})
