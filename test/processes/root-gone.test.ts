import assert from 'node:assert/strict'
import { test } from 'node:test'
import { HUB_THREAD, runFixture } from '../helpers/run-fixture.ts'

test('a child whose root dies writes its records to stderr as NDJSON, says so once, and ends normally', async () => {
  // runFixture resolves when the root's stdio closes: the orphan holds its stderr until it has exited.
  const result = await runFixture('orphaned-child.ts')
  assert.equal(result.signal, 'SIGKILL')
  const atRoot = result.records().filter((r) => r.thread !== HUB_THREAD).map((r) => r.msg)
  assert.deepEqual(atRoot, ['root up', 'before the root died'], 'flushAll in the child resolved once the root had written')
  const lines = result.stderr.split('\n').filter((line) => line !== '')
  const notes = lines.filter((line) => line.startsWith('threadlog: '))
  assert.equal(notes.length, 1, result.stderr)
  assert.match(notes[0] as string, /^threadlog: the root hub is gone \(.+\); process \d+ writes its records to stderr as NDJSON from now on$/)
  const records = lines.filter((line) => !line.startsWith('threadlog: ')).map((line) => JSON.parse(line) as Record<string, unknown>)
  const after = records.filter((r) => r.msg === 'after the root died')
  assert.deepEqual(after.map((r) => r.n), Array.from({ length: 500 }, (_, i) => i + 1))
  assert.ok(after.every((r) => r.proc === 'orphan'))
})
