import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runFixture } from '../helpers/run-fixture.ts'

test('records from a cluster worker and its threads carry the cluster worker id', async () => {
  const result = await runFixture('cluster-worker.ts')
  assert.equal(result.code, 0, result.stderr)
  const records = result.appRecords()
  assert.deepEqual(records.map((r) => [r.msg, r.worker, r.proc]), [
    ['from cluster worker', 1, 'web'],
    ['from its thread', 1, 'web']
  ])
  assert.deepEqual(Object.keys(records[0] ?? {}), ['level', 'time', 'pid', 'hostname', 'ppid', 'proc', 'tid', 'thread', 'worker', 'seq', 'name', 'msg'])
})
