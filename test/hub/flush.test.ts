import assert from 'node:assert/strict'
import { test } from 'node:test'
import { readRecords } from '../helpers/read-records.ts'
import { runFixture } from '../helpers/run-fixture.ts'
import { tempFile } from '../helpers/temp-file.ts'

// The timeout only turns a hang (a hub left ref'd) into a failure; nothing waits on it.
test('concurrent flushAll calls in the main thread resolve, and the process then ends by itself', { timeout: 30_000 }, async () => {
  const file = tempFile()
  const result = await runFixture('concurrent-flushes.ts', [file])
  assert.equal(result.code, 0, result.stderr)
  assert.deepEqual(readRecords(file).filter((r) => r.proc === 'flusher' && r.thread === 'main').map((r) => r.msg), ['before', 'after'])
})

test('a hub that dies while starting: flushAll settles, the code after it runs, the death is reported', { timeout: 30_000 }, async () => {
  const result = await runFixture('hub-dies-starting.ts')
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stdout, 'flushAll settled\n')
  assert.match(result.stderr, /^threadlog: the hub stopped: Error: transport crashed while opening\n/)
})
