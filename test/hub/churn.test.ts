import assert from 'node:assert/strict'
import { test } from 'node:test'
import { assertWholeAndOrdered, hubRecords, readRecords } from '../helpers/read-records.ts'
import { HUB_THREAD, runFixture } from '../helpers/run-fixture.ts'
import { tempFile } from '../helpers/temp-file.ts'

// 50 workers, 10 at a time. On the 2-core VM this takes ~7 s on Node 24 and ~9 s on Node 22.20 when
// the machine is quiet, ~18 s under a load average of 10: a worker that loads threadlog from its
// type-stripped sources costs far more than an empty one (60–90 ms). The 1000-worker run, with its
// RSS growth against empty workers, is bench/churn.bench.ts.
const WORKERS = 50
const BATCH = 10
const PER_WORKER = 100

test('worker churn: every record delivered once and in order, one hub, no ring outlives its thread', async () => {
  const file = tempFile()
  const result = await runFixture('churn.ts', [file, String(WORKERS), String(BATCH), String(PER_WORKER)])
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stderr, '')
  const { tids, ringCount } = JSON.parse(result.stdout) as { tids: number[], ringCount: number }
  assert.equal(new Set(tids).size, WORKERS)
  const workerNames = tids.map((tid) => `worker-${tid}`).sort()

  const records = readRecords(file)
  const counts = assertWholeAndOrdered(records)
  assert.deepEqual(Object.fromEntries([...counts].sort()),
    Object.fromEntries([['main', 2], ...workerNames.map((name) => [name, PER_WORKER] as const)].sort()))
  for (const record of records.filter((r) => r.msg === 'record')) {
    assert.equal(record.thread, `worker-${record.tid as number}`, 'a worker\'s records carry its own tid')
  }

  // One hub for the whole run: every record of the hub's own comes from the same thread.
  const hubOwn = records.filter((r) => r.thread === HUB_THREAD)
  assert.equal(new Set(hubOwn.map((r) => r.tid)).size, 1)
  assert.deepEqual(hubRecords(records, 'thread started').map((r) => r.threadName).sort(), ['main', ...workerNames].sort())
  const exits = hubRecords(records, 'thread exited')
  assert.deepEqual(exits.map((r) => r.threadName).sort(), workerNames)
  assert.ok(exits.every((r) => r.exitCode === 0 && r.level === 20))
  assert.equal(hubOwn.length, 2 * WORKERS + 1, 'nothing else from the hub (no drops, no failures)')

  // After the last exit and a flushAll(), the hub holds the main thread's ring only.
  assert.equal(ringCount, 1)
})
