import assert from 'node:assert/strict'
import { existsSync } from 'node:fs'
import { test } from 'node:test'
import type { LogStats } from '../../src/index.ts'
import { assertWholeAndOrdered, readRecords } from '../helpers/read-records.ts'
import { runFixture } from '../helpers/run-fixture.ts'
import { tempFile } from '../helpers/temp-file.ts'

// /dev/full answers every write with ENOSPC, as a full filesystem does, without filling one: the
// file target opens it like any file. (Filling a real filesystem would need a mount of our own:
// root and a loop device, which a test suite should not need.)
test('a full disk (ENOSPC, /dev/full): the file target is reported once, the app and the other target go on', { skip: !existsSync('/dev/full') && 'no /dev/full on this system', timeout: 60_000 }, async (t) => {
  const file = tempFile()
  const full = JSON.stringify({ target: 'file', options: { path: '/dev/full' } })
  const result = await runFixture('faults/failing-target.ts', [file, full], {}, t.signal)
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stderr, 'threadlog: target "file" failed and receives no more records: ENOSPC: no space left on device, write\n')
  const records = readRecords(file)
  assert.deepEqual(Object.fromEntries(assertWholeAndOrdered(records)), { main: 2000, w0: 1000, w1: 1000 })
  assert.equal(records.filter((r) => r.msg === 'after the failure (known: true)').length, 1000)
  const stats = JSON.parse(result.stdout) as LogStats
  assert.deepEqual(stats.targets, [{ name: 'file', written: 4000, failed: false }, { name: 'file', written: 0, failed: true }])
  assert.deepEqual([stats.written, stats.dropped, stats.lost], [4000, 0, 0])
})
