import assert from 'node:assert/strict'
import { test } from 'node:test'
import { getFilter, setFilter } from '../../src/index.ts'
import { runFixture } from '../helpers/run-fixture.ts'

test('setFilter reaches a worker thread and a child process before it resolves', async () => {
  const result = await runFixture('set-filter-tree.ts')
  assert.equal(result.code, 0, result.stderr)
  const counts: Record<string, number> = {}
  for (const record of result.appRecords()) {
    const key = `${String(record.proc)}/${String(record.thread)} round ${String(record.round)} ${String(record.msg)}`
    counts[key] = (counts[key] ?? 0) + 1
  }
  assert.deepEqual(Object.fromEntries(Object.entries(counts).sort()), {
    'child/main round 1 info': 3,
    'child/main round 2 debug': 3,
    'child/main round 2 info': 3,
    'root/main round 1 info': 3,
    'root/main round 2 debug': 3,
    'root/main round 2 info': 3,
    'root/main round undefined filter set': 1,
    'root/w round 1 info': 3,
    'root/w round 2 debug': 3,
    'root/w round 2 info': 3
  })
  assert.equal(result.appRecords().find((r) => r.msg === 'filter set')?.filter, 'debug')
})

test('setFilter rejects bad directives with a TypeError quoting the term, and changes nothing', async () => {
  const before = getFilter()
  await assert.rejects(setFilter('info,tid:one=debug'), {
    name: 'TypeError',
    message: 'threadlog: setFilter: bad term "tid:one=debug": "one" is not a number; expected tid:<n>, a non-negative integer'
  })
  assert.equal(getFilter(), before)
})

test('a thread busy in synchronous code applies setFilter at its next enabled log call', async () => {
  const result = await runFixture('set-filter-busy-thread.ts')
  assert.equal(result.code, 0, result.stderr)
  const records = result.appRecords()
  const busy = records.filter((r) => r.thread === 'busy')
  const infoCount = records.find((r) => r.msg === 'worker done')?.infoCount
  assert.equal(busy.filter((r) => r.msg === 'busy').length, infoCount)
  assert.deepEqual(busy.filter((r) => r.msg !== 'busy').map((r) => [r.msg, r.level]), [['after', 20], ['after', 20], ['after', 20]])
})

test('setFilter does not wait for a worker that was terminated', async () => {
  const result = await runFixture('set-filter-after-terminate.ts')
  assert.equal(result.code, 0, result.stderr)
  const record = result.appRecords().find((r) => r.msg === 'setFilter after terminate')
  assert.deepEqual([record?.outcome, record?.fast], ['resolved', true])
})
