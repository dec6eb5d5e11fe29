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
  // Every record meant for the failed target is counted once: those queued for it when its first
  // write threw, in the failure's line, and those that came after, in one line at exit. How the
  // 4000 split depends on how far the hub had got when the pump ran.
  const lines = result.stderr.split('\n')
  const target = `threadlog: target "${throwing}"`
  const failure = /^ failed and receives no more records: write exploded; (\d+) records queued for it are lost$/
  const later = /^ missed (\d+) records after it failed$/
  assert.equal(lines.length, 3, result.stderr)
  assert.ok(lines[0]?.startsWith(target) === true && lines[1]?.startsWith(target) === true, result.stderr)
  const queued = Number(failure.exec(lines[0].slice(target.length))?.[1] ?? NaN)
  const missed = Number(later.exec(lines[1].slice(target.length))?.[1] ?? NaN)
  assert.ok(queued >= 1, result.stderr)
  assert.equal(queued + missed, 4000, result.stderr)
  assert.equal(lines[2], '')
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
