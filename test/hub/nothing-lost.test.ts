import assert from 'node:assert/strict'
import { test } from 'node:test'
import { assertWholeAndOrdered, hubRecords, readRecords } from '../helpers/read-records.ts'
import { runFixture } from '../helpers/run-fixture.ts'
import { tempFile } from '../helpers/temp-file.ts'

const PER_THREAD = 2000
const ALL_THREADS = ['main', 'w0', 'w1', 'w2', 'w3']

async function runLoad (end: string, extra: Record<string, unknown> = {}) {
  const file = tempFile()
  const result = await runFixture('hub-load.ts', [], {
    FIXTURE: JSON.stringify({ file, workers: 4, perThread: PER_THREAD, end, ...extra })
  })
  return { result, records: readRecords(file) }
}

function assertAllDelivered (records: ReturnType<typeof readRecords>, extraMain = 0): void {
  const counts = assertWholeAndOrdered(records)
  assert.deepEqual(Object.fromEntries([...counts].sort()), Object.fromEntries(ALL_THREADS.map((thread) =>
    [thread, PER_THREAD + (thread === 'main' ? extraMain : 0)])))
}

test('process.exit(0) right after logging loses nothing', async () => {
  const { result, records } = await runLoad('exit')
  assert.equal(result.code, 0, result.stderr)
  assertAllDelivered(records)
})

test('returning from main loses nothing, and every worker\'s start and exit are logged', async () => {
  const { result, records } = await runLoad('return')
  assert.equal(result.code, 0, result.stderr)
  assertAllDelivered(records)
  assert.deepEqual(hubRecords(records, 'thread started').map((r) => r.threadName).sort(), ALL_THREADS)
  const exits = hubRecords(records, 'thread exited')
  assert.deepEqual(exits.map((r) => [r.threadName, r.exitCode, r.level]).sort(),
    ['w0', 'w1', 'w2', 'w3'].map((name) => [name, 0, 20]))
})

test('an uncaught exception in main loses nothing, is logged as fatal with its stack, and exits 1', async () => {
  const { result, records } = await runLoad('throw-main')
  assert.equal(result.code, 1)
  assert.match(result.stderr, /Error: main failed/, 'Node still reports the exception itself')
  assertAllDelivered(records, 1)
  const fatal = records.filter((r) => r.level === 60)
  assert.equal(fatal.length, 1)
  assert.equal(fatal[0]?.thread, 'main')
  assert.equal(fatal[0]?.msg, 'uncaught exception')
  assert.match((fatal[0]?.err as { stack: string } | undefined)?.stack ?? '', /^Error: main failed\n\s+at /)
})

test('an uncaught exception in a worker loses nothing of it, and its exit is logged as a warning', async () => {
  const { result, records } = await runLoad('throw-worker')
  assert.equal(result.code, 0, result.stderr)
  const counts = assertWholeAndOrdered(records)
  for (const worker of ['w0', 'w1', 'w2', 'w3']) assert.equal(counts.get(worker), PER_THREAD + 1, `${worker} and its fatal record`)
  const exits = hubRecords(records, 'thread exited')
  assert.deepEqual(exits.map((r) => [r.exitCode, r.level]), [[1, 40], [1, 40], [1, 40], [1, 40]])
})

test('SIGTERM without a handler loses nothing and ends the process by that signal', async () => {
  const { result, records } = await runLoad('sigterm')
  assert.equal(result.signal, 'SIGTERM')
  assertAllDelivered(records)
})

test('SIGTERM with a handler of the application: threadlog only flushes, the handler decides', async () => {
  const { result, records } = await runLoad('sigterm-handled')
  assert.equal(result.code, 3)
  assertAllDelivered(records)
})

test('flushAll resolves once every thread\'s records are written', async () => {
  const file = tempFile()
  const result = await runFixture('hub-load.ts', [], {
    FIXTURE: JSON.stringify({ file, workers: 4, perThread: PER_THREAD, end: 'flush-then-exit' })
  })
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stdout, 'flushed\n')
  assertAllDelivered(readRecords(file))
})

test('flushAll called while the hub is still starting waits for it, and the record is written', async () => {
  const file = tempFile()
  const result = await runFixture('flush-while-booting.ts', [file])
  assert.equal(result.code, 0, result.stderr)
  assert.deepEqual(result.appRecords().map((r) => r.msg), ['first'])
})

test('an exit flush that times out while the hub is still starting says how many records it loses', async () => {
  // 1 ms: a worker thread takes tens of milliseconds to start, so the hub cannot be running yet.
  const result = await runFixture('exit-while-booting.ts', [tempFile()])
  assert.equal(result.code, 0)
  assert.equal(result.stderr, 'threadlog: flush timed out after 1 ms; 3 records had not reached every target\n')
})
