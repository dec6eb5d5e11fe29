import assert from 'node:assert/strict'
import { test } from 'node:test'
import { countPerSource, hubRecords, readRecords } from '../helpers/read-records.ts'
import { runFixture } from '../helpers/run-fixture.ts'
import { tempFile } from '../helpers/temp-file.ts'

test('kill -9 of a child mid-stream: its records arrive whole and in order up to the kill, its end is reported once', { timeout: 60_000 }, async (t) => {
  const file = tempFile()
  const result = await runFixture('faults/killed-child.ts', [file], {}, t.signal)
  assert.equal(result.code, 0, result.stderr)
  // readRecords fails on a partial line or one that is not JSON.
  const records = readRecords(file)
  const killed = records.find((r) => r.msg === 'child killed')
  assert.deepEqual([killed?.code, killed?.signal], [null, 'SIGKILL'])
  const [connected, ...others] = hubRecords(records, 'process connected')
  assert.equal(others.length, 0)
  const pid = connected?.processId as number
  // countPerSource checks that each thread's seq runs 1..n without a gap: what arrived is a prefix.
  const counts = countPerSource(records)
  const main = counts.get(`${pid}/main`) ?? 0
  const worker = counts.get(`${pid}/w0`) ?? 0
  assert.ok(main >= 2000, `the ${main} main-thread records include the 2000 its flushAll() confirmed`)
  const exits = hubRecords(records, 'process exited')
  assert.equal(exits.length, 1)
  // SIGKILL leaves the child no word: no exit code, no signal; records says what the root received.
  const exit = exits[0] ?? {}
  assert.deepEqual([exit.level, exit.processId, exit.processName, 'exitCode' in exit, 'signal' in exit, exit.records],
    [40, pid, 'child', false, false, main + worker])
  // What was in the child's rings and batch dies with it, uncounted: the root cannot know of it.
  // A frame cut by the kill keeps its whole records; a record cut in two is reported, once.
  const lost = hubRecords(records, `lost 1 records from process child (pid ${pid}): its connection was cut in the middle of a record`)
  const cut = /^threadlog: closed the log connection of process (\d+): hung up in the middle of a frame \((\d+) bytes lost\)\n$/.exec(result.stderr)
  if (cut === null) {
    assert.equal(result.stderr, '')
    assert.equal(lost.length, 0)
  } else {
    assert.equal(Number(cut[1]), pid)
    const bytes = Number(cut[2])
    assert.deepEqual(lost.map((r) => [r.level, r.processId, r.lost, r.bytes]), bytes > 0 ? [[40, pid, 1, bytes]] : [])
  }
})
