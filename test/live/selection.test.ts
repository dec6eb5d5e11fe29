import assert from 'node:assert/strict'
import { test } from 'node:test'
import { TimeMerge, type RunOrigin } from '../../src/hub/time-merge.ts'
import { compileSelection } from '../../src/live/selection.ts'
import { FrameError, FrameType } from '../../src/tree/frames.ts'

const HUB = { pid: 100 }
const W1: RunOrigin = { tid: 1, thread: 'w1', proc: 'api' }
const W2: RunOrigin = { tid: 2, thread: 'w2', proc: 'api' }
/** A thread whose logger names the process otherwise (`name: 'billing'`). */
const BILLING: RunOrigin = { tid: 3, thread: 'b1', proc: 'billing' }

interface Line { level?: number, pid?: number, proc?: string, tid?: number, thread?: string, msg: string }

const lineOf = ({ level = 30, pid = HUB.pid, proc = 'api', tid, thread, msg }: Line, time: number) =>
  JSON.stringify({ level, time, pid, proc, tid, thread, msg }) + '\n'

/** A cycle: runs of records, in time order one run after the other (so nothing moves in the merge). */
function cycle (runs: Array<[RunOrigin | undefined, Line[]]>): TimeMerge {
  const merge = new TimeMerge()
  let time = 0
  for (const [origin, lines] of runs) {
    merge.startRun()
    if (origin !== undefined) merge.setRunOrigin(origin)
    for (const record of lines) merge.staging.appendString(lineOf(record, ++time))
  }
  return merge
}

/** What the client is sent: the messages of each run of ranges of one frame type. */
function sent (select: Record<string, string>, merge: TimeMerge): string[] {
  const selection = compileSelection(select, HUB)
  assert.ok(selection !== undefined)
  const batch = merge.merge()
  const kept = selection.select(batch, merge.segments())
  const messages = batch.lines().map((text) => (JSON.parse(text) as { msg: string }).msg)
  const stretches: Array<{ type: string, messages: string[] }> = []
  kept.starts.forEach((start, range) => {
    const type = kept.types[range] === FrameType.SELECTED ? 'SELECTED' : 'RECORDS'
    const last = stretches.at(-1)
    const taken = messages.slice(start, kept.ends[range])
    if (last?.type === type) last.messages.push(...taken)
    else stretches.push({ type, messages: taken })
  })
  return stretches.map(({ type, messages }) => `${type} ${messages.join(',')}`)
}

const threads = () => cycle([
  [W1, [{ tid: 1, thread: 'w1', msg: 'a' }, { tid: 1, thread: 'w1', level: 20, msg: 'b' }]],
  [W2, [{ tid: 2, thread: 'w2', msg: 'c' }]],
  [undefined, [{ pid: 7, tid: 1, thread: 'w1', msg: 'child-w1' }, { pid: 7, tid: 2, thread: 'w2', msg: 'child-w2' }]]
])

test('--thread: a root thread is selected by its ring, whole; relayed records by their bytes', () => {
  assert.deepEqual(sent({ thread: 'w1' }, threads()), ['SELECTED a,b', 'RECORDS child-w1'])
  assert.deepEqual(sent({ thread: '2' }, threads()), ['SELECTED c', 'RECORDS child-w2'])
  assert.deepEqual(sent({ thread: 'w*' }, threads()), ['SELECTED a,b,c', 'RECORDS child-w1,child-w2'])
})

test('--pid is the hub process for every ring, --proc the name its thread stamps', () => {
  const withBilling = () => {
    const merge = threads()
    merge.startRun()
    merge.setRunOrigin(BILLING)
    merge.staging.appendString(lineOf({ proc: 'billing', tid: 3, thread: 'b1', msg: 'bill' }, 10))
    return merge
  }
  assert.deepEqual(sent({ pid: '100' }, withBilling()), ['SELECTED a,b,c,bill'])
  assert.deepEqual(sent({ pid: '7' }, withBilling()), ['RECORDS child-w1,child-w2'])
  assert.deepEqual(sent({ proc: 'billing' }, withBilling()), ['SELECTED bill'])
  assert.deepEqual(sent({ proc: 'api' }, withBilling()), ['SELECTED a,b,c', 'RECORDS child-w1,child-w2'])
  assert.deepEqual(sent({ proc: 'web' }, withBilling()), [])
})

test('the options a ring does not decide are tested on the bytes of its records', () => {
  assert.deepEqual(sent({ thread: 'w1', level: 'info' }, threads()), ['SELECTED a', 'RECORDS child-w1'])
  assert.deepEqual(sent({ level: 'info' }, threads()), ['SELECTED a,c', 'RECORDS child-w1,child-w2'])
})

test("a record's own fields do not move it out of its thread's ring", () => {
  const merge = cycle([[W1, [{ tid: 1, thread: 'w1', msg: 'plain' }]], [W1, [{ tid: 1, thread: 'w1', msg: 'shadowed' }]]])
  // The second record's bytes say thread "decoy" as well: it is still w1's.
  const shadowed = cycle([[W1, []]])
  shadowed.staging.appendString('{"level":30,"time":1,"pid":100,"tid":1,"thread":"w1","thread":"decoy","msg":"shadowed"}\n')
  assert.deepEqual(sent({ thread: 'w1' }, shadowed), ['SELECTED shadowed'])
  assert.deepEqual(sent({ thread: 'decoy' }, shadowed), [])
  assert.deepEqual(sent({ thread: 'w1' }, merge), ['SELECTED plain,shadowed'])
})

test("a ring whose loggers stamp several thread or process names is decided by its records' names", () => {
  const varied: RunOrigin = { tid: 1, thread: undefined, proc: undefined }
  const merge = () => cycle([[varied, [{ tid: 1, thread: 'w1', msg: 'a' }, { tid: 1, thread: 'aux', msg: 'x' }]]])
  assert.deepEqual(sent({ thread: 'aux' }, merge()), ['RECORDS x'])
  assert.deepEqual(sent({ thread: '1' }, merge()), ['SELECTED a,x'])
  assert.deepEqual(sent({ proc: 'api' }, merge()), ['RECORDS a,x'])
})

test("the hub's own records are sent when their bytes may pass", () => {
  const withHubRecord = () => {
    const merge = new TimeMerge()
    merge.startRun()
    merge.setRunOrigin(W1)
    merge.appendDeferred({ time: 0, build: () => lineOf({ tid: 9, thread: 'threadlog-hub', level: 20, msg: 'thread started' }, 0) })
    merge.staging.appendString(lineOf({ tid: 1, thread: 'w1', msg: 'a' }, 1))
    return merge
  }
  assert.deepEqual(sent({ thread: 'w1' }, withHubRecord()), ['SELECTED a'])
  assert.deepEqual(sent({ thread: 'threadlog-*' }, withHubRecord()), ['RECORDS thread started'])
})

test('no selecting option: no selection; a bad one: a protocol error naming the option', () => {
  assert.equal(compileSelection(undefined, HUB), undefined)
  assert.equal(compileSelection({}, HUB), undefined)
  assert.throws(() => compileSelection({ level: 'loud' }, HUB), (error) => error instanceof FrameError && /option '--level'/.test(error.message))
})
