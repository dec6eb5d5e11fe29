import assert from 'node:assert/strict'
import { test } from 'node:test'
import { runFixture } from '../helpers/run-fixture.ts'

test('a context captured in main and restored in a worker is carried by the worker\'s records', async () => {
  const result = await runFixture('context-across-threads.ts')
  assert.equal(result.code, 0, result.stderr)
  const [record, ...rest] = result.appRecords()
  assert.equal(rest.length, 0)
  assert.deepEqual([record?.thread, record?.reqId, record?.user, record?.step, record?.msg], ['job', 'abc', 7, 'resize', 'in worker'])
})
