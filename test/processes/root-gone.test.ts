import assert from 'node:assert/strict'
import { once } from 'node:events'
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { test } from 'node:test'
import { FrameType, encodeFrame } from '../../src/tree/frames.ts'
import { HUB_THREAD, runFixture } from '../helpers/run-fixture.ts'

test('a child whose root dies writes its records to stderr as NDJSON, says so once, and ends normally', async () => {
  // runFixture resolves when the root's stdio closes: the orphan holds its stderr until it has exited.
  const result = await runFixture('orphaned-child.ts')
  assert.equal(result.signal, 'SIGKILL')
  rmSync(dirname(result.records().find((r) => r.msg === 'root up')?.hub as string), { recursive: true, force: true })
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

test('a child the root refuses says why, and writes its records to stderr as NDJSON', async () => {
  // A stand-in root that refuses every child the way a root speaking another protocol would.
  const dir = mkdtempSync(join(tmpdir(), 'threadlog-hub-'))
  const path = join(dir, 'hub.sock')
  const server = createServer((socket) => {
    socket.once('data', () => socket.end(encodeFrame(FrameType.REFUSED, 'speaks protocol 1, this hub 2')))
  })
  server.listen(path)
  await once(server, 'listening')
  const child = JSON.stringify({ perThread: 3, workers: 0, end: 'return' })
  const result = await runFixture('process-tree.ts', [], { THREADLOG_HUB: path, TREE_CHILD: child })
  server.close()
  rmSync(dir, { recursive: true, force: true })
  assert.equal(result.code, 0, result.stderr)
  const lines = result.stderr.split('\n').filter((line) => line !== '')
  assert.match(lines[0] as string, /^threadlog: the root hub refused this process \(speaks protocol 1, this hub 2\); process \d+ writes its records to stderr as NDJSON from now on$/)
  const records = lines.slice(1).map((line) => JSON.parse(line) as Record<string, unknown>)
  assert.deepEqual(records.filter((r) => r.msg === 'record').map((r) => r.n), [1, 2, 3])
})

test('a child whose root never answers: its exit flush times out and says how many records it could not hand over', async () => {
  // A stand-in root that accepts the connection and then says nothing, like a root stuck on a slow target.
  const dir = mkdtempSync(join(tmpdir(), 'threadlog-hub-'))
  const path = join(dir, 'hub.sock')
  const server = createServer(() => {})
  server.listen(path)
  await once(server, 'listening')
  const child = JSON.stringify({ perThread: 3, workers: 0, end: 'return', flushTimeoutMs: 500 })
  const result = await runFixture('process-tree.ts', [], { THREADLOG_HUB: path, TREE_CHILD: child })
  server.close()
  rmSync(dir, { recursive: true, force: true })
  assert.equal(result.code, 0)
  assert.equal(result.stderr, 'threadlog: flush timed out after 500 ms; 3 records had not reached every target; ' +
    'target "root hub" had not finished a write of 3 records\n')
})
