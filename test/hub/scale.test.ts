import assert from 'node:assert/strict'
import { statSync } from 'node:fs'
import { test } from 'node:test'
import { assertWholeAndOrdered, readRecords } from '../helpers/read-records.ts'
import { runFixture } from '../helpers/run-fixture.ts'
import { tempFile } from '../helpers/temp-file.ts'

test('4 workers × 50 000 records of 10 B – 64 KiB into one file: every line whole, every (tid, seq) once, in order', { timeout: 240_000 }, async () => {
  const file = tempFile()
  const result = await runFixture('hub-load.ts', [], {
    FIXTURE: JSON.stringify({ file, workers: 4, perThread: 50_000, pad: 'random', end: 'return' })
  })
  assert.equal(result.code, 0, result.stderr)
  const records = readRecords(file)
  const counts = assertWholeAndOrdered(records)
  assert.deepEqual(['main', 'w0', 'w1', 'w2', 'w3'].map((thread) => counts.get(thread)), [50_000, 50_000, 50_000, 50_000, 50_000])
  const sizes = records.filter((r) => r.msg === 'record').map((r) => (r.pad as string).length)
  const largest = sizes.reduce((a, b) => Math.max(a, b))
  const smallest = sizes.reduce((a, b) => Math.min(a, b))
  assert.ok(largest > 32 * 1024 && smallest === 10, `sizes span the whole range: ${smallest}..${largest}`)
  assert.ok(statSync(file).size > 100 * 1024 * 1024)
})
