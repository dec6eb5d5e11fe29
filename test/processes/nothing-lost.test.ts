import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { countPerSource, hubRecords, readRecords, type LogRecord } from '../helpers/read-records.ts'
import { HUB_THREAD, runFixture } from '../helpers/run-fixture.ts'
import { tempFile } from '../helpers/temp-file.ts'

interface ChildConfig {
  perThread: number
  workers: number
  end: string
  grandchild?: ChildConfig
  overflow?: 'block' | 'drop'
  ringSize?: number
  spawned?: boolean
}

/** Runs the process-tree fixture: a root logging into a file, and the children it forks. */
async function runTree (children: ChildConfig[], extra: Record<string, unknown> = {}) {
  const file = tempFile()
  const result = await runFixture('process-tree.ts', [], { FIXTURE: JSON.stringify({ file, children, ...extra }) })
  return { result, records: readRecords(file) }
}

/** The pids of the children, in the order the root's hub saw them connect. */
function connectedPids (records: LogRecord[]): number[] {
  return hubRecords(records, 'process connected').map((record) => record.processId as number)
}

/** The root's pid: its last record says how its children ended. */
function rootPid (records: LogRecord[]): number {
  return records.find((record) => record.msg === 'children ended')?.pid as number
}

/** Every process's own hub records (its lifecycle records) also run 1..n in order. */
function assertHubRecordsOrdered (records: LogRecord[]): void {
  const seqs = new Map<number, number[]>()
  for (const record of records.filter((r) => r.thread === HUB_THREAD)) {
    seqs.set(record.pid as number, [...seqs.get(record.pid as number) ?? [], record.seq as number])
  }
  for (const [pid, list] of seqs) assert.deepEqual(list, list.map((_, i) => i + 1), `hub records of ${pid}`)
}

test('4 children × 20 000 records reach the root\'s file: each exactly once, in order per thread', async () => {
  const child = { perThread: 10_000, workers: 1, end: 'return' }
  const { result, records } = await runTree([child, child, child, child])
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stderr, '')
  const root = rootPid(records)
  const pids = connectedPids(records)
  assert.equal(new Set(pids).size, 4)
  assert.deepEqual(Object.fromEntries(countPerSource(records)), Object.fromEntries([
    [`${root}/main`, 1],
    ...pids.flatMap((pid) => [[`${pid}/main`, 10_000], [`${pid}/w0`, 10_000]])
  ]))
  assertHubRecordsOrdered(records)
  for (const pid of pids) {
    const from = records.filter((r) => r.pid === pid)
    assert.ok(from.every((r) => r.proc === 'child' && r.ppid === root), 'the child\'s own identity')
    const exited = hubRecords(records, 'process exited').filter((r) => r.processId === pid)
    assert.deepEqual(exited.map((r) => [r.processName, r.exitCode, r.records, r.level]), [['child', 0, from.length, 20]])
    assert.ok(records.indexOf(exited[0] as LogRecord) > records.lastIndexOf(from.at(-1) as LogRecord), 'exited after its last record')
  }
})

/** Runs one child that ends as told; returns its records and its 'process exited' record. */
async function runOneChild (end: string) {
  const { result, records } = await runTree([{ perThread: 2000, workers: 1, end }])
  assert.equal(result.code, 0, result.stderr)
  const [pid] = connectedPids(records)
  const exited = hubRecords(records, 'process exited')
  assert.equal(exited.length, 1)
  return { result, pid, counts: countPerSource(records), exited: exited[0] as LogRecord, root: rootPid(records) }
}

test('a child calling process.exit(3) loses nothing, and the root logs its exit code', async () => {
  const { pid, counts, exited } = await runOneChild('exit-3')
  assert.equal(counts.get(`${pid}/main`), 2000)
  assert.equal(counts.get(`${pid}/w0`), 2000)
  // 4000 records: the child's hub writes no lifecycle records of its own at the child's level (info).
  assert.deepEqual([exited.exitCode, exited.signal, exited.records, exited.level], [3, undefined, 4000, 40])
})

test('a child dying of an uncaught exception loses nothing, and its fatal record arrives too', async () => {
  const { result, pid, counts, exited } = await runOneChild('throw')
  assert.equal(counts.get(`${pid}/main`), 2001, 'its records and the fatal one')
  assert.equal(counts.get(`${pid}/w0`), 2000)
  assert.deepEqual([exited.exitCode, exited.level], [1, 40])
  assert.match(result.stderr, /Error: child failed/, 'Node still reports the exception')
})

test('a child ended by SIGTERM loses nothing, and the root logs the signal', async () => {
  const { result, pid, counts, exited } = await runOneChild('sigterm')
  assert.equal(counts.get(`${pid}/main`), 2000)
  assert.equal(counts.get(`${pid}/w0`), 2000)
  assert.deepEqual([exited.exitCode, exited.signal, exited.level], [undefined, 'SIGTERM', 40])
  assert.equal(result.stderr, '')
})

test('a child killed by SIGKILL: everything it flushed before arrives, in order, and its exit has no status', async () => {
  const { pid, counts, exited } = await runOneChild('sigkill-after-flush')
  // flushAll() resolved once the root had written the first 2000 of each thread; the second 2000
  // were logged right before the kill and may be cut anywhere (countPerSource checks they are a prefix).
  assert.ok((counts.get(`${pid}/main`) ?? 0) >= 2000)
  assert.ok((counts.get(`${pid}/w0`) ?? 0) === 2000)
  assert.deepEqual([exited.exitCode, exited.signal, exited.level], [undefined, undefined, 40])
})

test('a grandchild relays to the root directly, and every record carries its own ppid chain', async () => {
  // Started with spawn (its parent was forked): both inherit THREADLOG_HUB through the environment.
  const grandchild = { perThread: 100, workers: 0, end: 'return', spawned: true }
  const { result, records } = await runTree([{ perThread: 100, workers: 0, end: 'return', grandchild }])
  assert.equal(result.code, 0, result.stderr)
  const root = rootPid(records)
  const connected = hubRecords(records, 'process connected')
  assert.equal(connected.length, 2)
  const child = connected.find((r) => r.parentProcessId === root)?.processId
  const grand = connected.find((r) => r.parentProcessId === child)?.processId
  assert.equal(typeof grand, 'number')
  assert.ok(connected.every((r) => r.pid === root), 'both announced by the root\'s hub')
  assert.deepEqual(Object.fromEntries(countPerSource(records)), {
    [`${root}/main`]: 1, [`${child}/main`]: 100, [`${grand}/main`]: 100
  })
  assert.ok(records.filter((r) => r.pid === grand).every((r) => r.ppid === child))
  assert.ok(records.filter((r) => r.pid === child).every((r) => r.ppid === root))
})

test('with exportHub: false, children do not find the root\'s hub and log on their own', async () => {
  const { result, records } = await runTree([{ perThread: 10, workers: 0, end: 'return' }], { exportHub: false })
  assert.equal(result.code, 0, result.stderr)
  assert.deepEqual(records.filter((r) => r.thread !== HUB_THREAD).map((r) => r.msg), ['children ended'])
  assert.deepEqual(hubRecords(records, 'process connected'), [])
  // The child's own hub wrote to its stdout, inherited from the root.
  assert.equal(result.appRecords().filter((r) => r.proc === 'child').length, 10)
})

test('a slow root slows its children: with overflow "drop", delivered plus reported dropped is exactly what was logged', async () => {
  const slow = fileURLToPath(new URL('../fixtures/transports/slow.ts', import.meta.url))
  const { result, records } = await runTree([{ perThread: 5000, workers: 0, end: 'return', overflow: 'drop', ringSize: 4096 }],
    { extraTargets: [{ target: slow }] })
  assert.equal(result.code, 0, result.stderr)
  const [pid] = connectedPids(records)
  const delivered = countPerSource(records).get(`${pid}/main`) ?? 0
  const dropped = records.filter((r) => r.pid === pid && r.thread === HUB_THREAD && typeof r.dropped === 'number')
    .reduce((sum, r) => sum + (r.dropped as number), 0)
  assert.ok(dropped > 0, 'the root\'s pace reached the child: its ring overflowed')
  assert.equal(delivered + dropped, 5000)
})
