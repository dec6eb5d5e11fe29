import assert from 'node:assert/strict'
import { hostname } from 'node:os'
import { test } from 'node:test'
import { runFixture } from '../helpers/run-fixture.ts'

const IDENTITY_ORDER = ['level', 'time', 'pid', 'hostname', 'ppid', 'proc', 'tid', 'thread', 'seq']

test('records from main, named, unnamed and nested workers carry the full identity', async () => {
  const result = await runFixture('identity-threads.ts')
  assert.equal(result.code, 0, result.stderr)
  const records = result.appRecords()
  assert.deepEqual(records.map((r) => r.role), ['main', 'named', 'nested', 'unnamed'])
  const [main, named, nested, unnamed] = records as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]
  const pid = main.pid
  assert.equal(typeof pid, 'number')
  for (const record of records) {
    // pino's `name` stays where pino writes it, in the records of the logger that was given it.
    const named = record === main ? ['name'] : []
    assert.deepEqual(Object.keys(record), [...IDENTITY_ORDER, ...named, 'role', 'msg'])
    assert.equal(record.level, 30)
    assert.equal(typeof record.time, 'number')
    assert.equal(record.pid, pid)
    assert.equal(record.ppid, process.pid)
    assert.equal(record.hostname, hostname())
    assert.equal(record.proc, 'identity', 'every thread reports the name the main thread gave')
    assert.equal(record.seq, 1, 'seq starts at 1 in every thread')
    assert.equal(record.msg, 'hello')
  }
  assert.deepEqual([main.tid, main.thread], [0, 'main'])
  assert.equal(named.thread, 'resize')
  assert.equal(nested.thread, 'inner')
  assert.equal(unnamed.thread, `worker-${unnamed.tid as number}`)
  const tids = records.map((r) => r.tid)
  assert.equal(new Set(tids).size, 4, 'every thread has its own tid')
  assert.ok(tids.slice(1).every((tid) => typeof tid === 'number' && tid > 0))
})

test('without a name option, proc is the main script name in every thread', async () => {
  const result = await runFixture('identity-threads.ts', ['--default-name'])
  assert.equal(result.code, 0, result.stderr)
  assert.deepEqual(result.appRecords().map((r) => r.proc), ['identity-threads', 'identity-threads', 'identity-threads', 'identity-threads'])
})
