import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { assertWholeAndOrdered, hubRecords, readRecords } from '../helpers/read-records.ts'
import { HUB_THREAD, runFixture } from '../helpers/run-fixture.ts'
import { tempFile } from '../helpers/temp-file.ts'

const PER_THREAD = 2000
const THREADS = ['main', 'w0', 'w1', 'w2', 'w3']

function transport (name: string): string {
  return fileURLToPath(new URL(`../fixtures/transports/${name}.ts`, import.meta.url))
}

async function runLoad (config: Record<string, unknown>) {
  const file = tempFile()
  const result = await runFixture('hub-load.ts', [], {
    FIXTURE: JSON.stringify({ file, workers: 4, perThread: PER_THREAD, end: 'return', ...config })
  })
  return { result, records: readRecords(file) }
}

test('a full ring with overflow "block" makes producers wait: nothing is lost', async () => {
  const { result, records } = await runLoad({ ringSize: 4096, pad: 100, extraTargets: [{ target: transport('slow') }] })
  assert.equal(result.code, 0, result.stderr)
  const counts = assertWholeAndOrdered(records)
  assert.deepEqual(THREADS.map((thread) => counts.get(thread)), THREADS.map(() => PER_THREAD))
  assert.equal(hubRecords(records, 'dropped').length, 0)
})

test('a full ring with overflow "drop": delivered + reported dropped == produced, per thread', async () => {
  const { result, records } = await runLoad({
    ringSize: 4096, pad: 100, overflow: 'drop', extraTargets: [{ target: transport('slow') }]
  })
  assert.equal(result.code, 0, result.stderr)
  let totalDropped = 0
  for (const thread of THREADS) {
    const delivered = records.filter((r) => r.thread === thread && r.msg === 'record')
    const seqs = delivered.map((r) => r.seq as number)
    assert.ok(seqs.every((seq, i) => i === 0 || seq > (seqs[i - 1] as number)), `${thread}: in order`)
    const dropped = records
      .filter((r) => r.thread === HUB_THREAD && r.threadName === thread && typeof r.dropped === 'number')
      .reduce((sum, r) => sum + (r.dropped as number), 0)
    assert.equal(delivered.length + dropped, PER_THREAD, `${thread}: delivered + dropped`)
    totalDropped += dropped
  }
  assert.ok(totalDropped > 0, 'the slow target made rings overflow')
  const notice = records.find((r) => typeof r.dropped === 'number')
  assert.deepEqual([notice?.level, notice?.msg],
    [40, `dropped ${notice?.dropped as number} records from thread ${notice?.threadName as string} (tid ${notice?.threadId as number}): its ring was full`])
})

test('failing targets are reported once each on stderr; the others get everything; the app goes on', async () => {
  const failing = ['throws-in-loop', 'rejects-on-open', 'stream-errors', 'write-throws'].map(transport)
  const { result, records } = await runLoad({ extraTargets: failing.map((target) => ({ target })) })
  assert.equal(result.code, 0)
  const counts = assertWholeAndOrdered(records)
  assert.deepEqual(THREADS.map((thread) => counts.get(thread)), THREADS.map(() => PER_THREAD))
  const lines = result.stderr.trim().split('\n')
  assert.equal(lines.length, failing.length, result.stderr)
  for (const target of failing) {
    assert.equal(lines.filter((line) => line.includes(`target "${target}"`)).length, 1, `one report for ${target}`)
  }
  assert.match(result.stderr, /could not be opened: no connection to the log server/)
  assert.match(result.stderr, /failed and receives no more records: disk full/)
  assert.match(result.stderr, /failed and receives no more records: write exploded/)
})

test('a hung target cannot hang exit: after flushTimeoutMs, stderr says how many records did not reach it', async () => {
  const { result } = await runLoad({ flushTimeoutMs: 500, extraTargets: [{ target: transport('hangs') }] })
  assert.equal(result.code, 0)
  // The hung target never completes a write, so no record reached every target. Its first write
  // holds what the hub's first cycle took, which depends on how the threads' starts interleave.
  const hangs = transport('hangs')
  assert.match(result.stderr, new RegExp(`^threadlog: flush timed out after 500 ms; ${PER_THREAD * THREADS.length} records had not ` +
    `reached every target; target "${hangs}" had not finished a write of \\d+ records\n$`))
})

test('worker.terminate() mid-stream: every record whose log call returned is delivered', async () => {
  const file = tempFile()
  const result = await runFixture('terminate-mid-stream.ts', [file])
  assert.equal(result.code, 0, result.stderr)
  const returned = Number(result.stdout.trim())
  const records = readRecords(file)
  const delivered = assertWholeAndOrdered(records).get('doomed') ?? 0
  assert.ok(returned >= 5000)
  // The call in flight when the thread stopped may have been published or not.
  assert.ok(delivered === returned || delivered === returned + 1, `${delivered} delivered, ${returned} returned`)
  const [exit] = hubRecords(records, 'thread exited')
  // terminate() was the application's request: exit code 1, yet a debug record saying so.
  assert.deepEqual([exit?.threadName, exit?.exitCode, exit?.terminated, exit?.level], ['doomed', 1, true, 20])
  assert.equal(records.filter((r) => (r.level as number) >= 40).length, 0)
})

test('a record larger than the ring is delivered whole', async () => {
  const file = tempFile()
  const result = await runFixture('hub-load.ts', [], {
    FIXTURE: JSON.stringify({ file, workers: 4, perThread: 20, end: 'return', ringSize: 4096, pad: 100_000 })
  })
  assert.equal(result.code, 0, result.stderr)
  const records = readRecords(file)
  const counts = assertWholeAndOrdered(records)
  assert.deepEqual(THREADS.map((thread) => counts.get(thread)), THREADS.map(() => 20))
  assert.ok(records.filter((r) => r.msg === 'record').every((r) => (r.pad as string).length === 100_000))
})
