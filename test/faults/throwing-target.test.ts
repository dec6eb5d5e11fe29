import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import type { LogStats } from '../../src/index.ts'
import { assertWholeAndOrdered, readRecords } from '../helpers/read-records.ts'
import { runFixture } from '../helpers/run-fixture.ts'
import { tempFile } from '../helpers/temp-file.ts'

const throwing = fileURLToPath(new URL('../fixtures/transports/write-throws.ts', import.meta.url))

test('a target that throws on every write: reported once on stderr, the app goes on, the file gets everything', { timeout: 60_000 }, async (t) => {
  const file = tempFile()
  const result = await runFixture('faults/failing-target.ts', [file, JSON.stringify({ target: throwing })], {}, t.signal)
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stderr, `threadlog: target "${throwing}" failed and receives no more records: write exploded\n`)
  const records = readRecords(file)
  assert.deepEqual(Object.fromEntries(assertWholeAndOrdered(records)), { main: 2000, w0: 1000, w1: 1000 })
  assert.equal(records.filter((r) => r.msg === 'after the failure (known: true)').length, 1000)
  const stats = JSON.parse(result.stdout) as LogStats
  assert.deepEqual(stats.targets, [
    { name: 'file', written: 4000, failed: false },
    { name: throwing, written: 0, failed: true }
  ])
  assert.deepEqual(stats.sources.map(({ thread, written, dropped, lost }) => [thread, written, dropped, lost]).sort(),
    [['main', 2000, 0, 0], ['w0', 1000, 0, 0], ['w1', 1000, 0, 0]])
  assert.deepEqual([stats.written, stats.dropped, stats.lost], [4000, 0, 0])
})
