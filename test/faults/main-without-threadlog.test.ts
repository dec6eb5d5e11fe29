import assert from 'node:assert/strict'
import { test } from 'node:test'
import { countPerSource } from '../helpers/read-records.ts'
import { runFixture } from '../helpers/run-fixture.ts'

test('workers log while the main thread never loads threadlog (a piscina pool): nothing lost on destroy(), no wait at exit', { timeout: 60_000 }, async (t) => {
  const result = await runFixture('faults/pool-without-threadlog.ts', [], {}, t.signal)
  assert.equal(result.code, 0, result.stderr)
  // No hub: each worker writes its own records, at once, and says so once.
  const records = result.records()
  const counts = countPerSource(records)
  const pool = [...counts].filter(([key]) => !key.endsWith('/plain'))
  assert.equal(pool.length, 2, 'two pool threads')
  assert.equal(pool.reduce((sum, [, count]) => sum + count, 0), 8)
  assert.deepEqual(records.filter((r) => r.msg === 'task').map((r) => r.task).sort(), [1, 2, 3, 4, 5, 6, 7, 8])
  assert.deepEqual(records.filter((r) => r.thread === 'plain').map((r) => r.n), [1, 2, 3])
  const lines = result.stderr.split('\n').filter((line) => line !== '')
  const notes = lines.filter((line) => line.startsWith('threadlog: '))
  const threads = records.map((r) => `${r.thread as string} (${r.tid as number})`)
  assert.deepEqual(notes.sort(), [...new Set(threads)].map((thread) =>
    `threadlog: the main thread had not loaded threadlog when thread ${thread} started; it writes its records itself until a hub takes them`).sort())
  // A worker's exit used to wait 5 s for a hub that never came (and a terminated one lost its records).
  const took = Number(/^exit took (\d+) ms$/.exec(lines.at(-1) ?? '')?.[1])
  assert.ok(took < 2500, `exit took ${took} ms`)
})
