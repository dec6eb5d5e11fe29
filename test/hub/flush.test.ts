import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readRecords } from '../helpers/read-records.ts'
import { runFixture } from '../helpers/run-fixture.ts'
import { tempFile } from '../helpers/temp-file.ts'

// The timeouts only turn a hang into a failure (t.signal then kills the fixture); nothing waits on them.
test('concurrent flushAll calls in the main thread resolve, and the process then ends by itself', { timeout: 30_000 }, async (t) => {
  const file = tempFile()
  const result = await runFixture('concurrent-flushes.ts', [file], {}, t.signal)
  assert.equal(result.code, 0, result.stderr)
  assert.deepEqual(readRecords(file).filter((r) => r.proc === 'flusher' && r.thread === 'main').map((r) => r.msg), ['before', 'after'])
})

test('a hub that dies while starting: flushAll settles, the code after it runs, the death is reported', { timeout: 30_000 }, async (t) => {
  const result = await runFixture('hub-dies-starting.ts', [], {}, t.signal)
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stdout, 'flushAll settled\n')
  assert.match(result.stderr, /^threadlog: the hub stopped: Error: transport crashed while opening\n/)
})

test('a worker\'s flushAll settles when the hub dies while serving it', { timeout: 30_000 }, async (t) => {
  const result = await runFixture('worker-flush-hub-dies.ts', [], {}, t.signal)
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stdout, 'the worker went on\n')
})
