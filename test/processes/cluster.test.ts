import assert from 'node:assert/strict'
import { test } from 'node:test'
import { countPerSource, hubRecords } from '../helpers/read-records.ts'
import { runFixture } from '../helpers/run-fixture.ts'

test('cluster workers relay to the primary\'s hub; their records carry the worker id and their context', async () => {
  const result = await runFixture('cluster-tree.ts')
  assert.equal(result.code, 0, result.stderr)
  const records = result.records()
  const primary = records.find((r) => r.msg === 'primary up')?.pid
  const handled = records.filter((r) => r.msg === 'request handled')
  for (const worker of [1, 2]) {
    const mine = handled.filter((r) => r.worker === worker)
    assert.deepEqual(mine.map((r) => r.reqId), Array.from({ length: 100 }, (_, i) => `${worker}-${i + 1}`))
    assert.ok(mine.every((r) => r.ppid === primary && r.proc === 'web'))
  }
  assert.deepEqual(hubRecords(records, 'process connected').map((r) => r.clusterWorker).sort(), [1, 2])
  assert.equal(countPerSource(records).size, 3, 'the primary and two workers, each in order')
  assert.equal(result.appRecords().at(-1)?.msg, 'workers done', 'the workers\' records were written before their exit was seen')
})
