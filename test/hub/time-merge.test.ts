import assert from 'node:assert/strict'
import { test } from 'node:test'
import { TimeMerge, type RunOrigin, type Segments } from '../../src/hub/time-merge.ts'

const line = (time: number, tag: string) => Buffer.from(`{"level":30,"time":${time},"msg":"${tag}"}\n`)

function runOf (merge: TimeMerge, origin: RunOrigin | undefined, records: Array<[number, string]>): void {
  merge.startRun()
  if (origin !== undefined) merge.setRunOrigin(origin)
  for (const [time, tag] of records) {
    const bytes = line(time, tag)
    merge.staging.appendRecord(bytes, 0, bytes.length)
  }
}

/** Each stretch as its origin's thread (or '-') and the messages in it. */
function stretches (segments: Segments, messages: string[]): string[] {
  const out: string[] = []
  let from = 0
  for (let index = 0; index < segments.count; index++) {
    const to = segments.endOf(index)
    out.push(`${segments.originOf(index)?.thread ?? '-'}:${messages.slice(from, to).join(',')}`)
    from = to
  }
  return out
}

const messagesOf = (merge: TimeMerge) => merge.merge().lines().map((text) => (JSON.parse(text) as { msg: string }).msg)

test('runs already in time order are the stretches, each with its origin', () => {
  const merge = new TimeMerge()
  const a = { tid: 1, thread: 'a', proc: 'api' }
  runOf(merge, a, [[1, 'a1'], [2, 'a2']])
  runOf(merge, undefined, [[3, 'c1']])
  const messages = messagesOf(merge)
  assert.deepEqual(messages, ['a1', 'a2', 'c1'])
  assert.deepEqual(stretches(merge.segments(), messages), ['a:a1,a2', '-:c1'])
})

test('interleaved runs are merged by time, and each stretch of the merge names the run it came from', () => {
  const merge = new TimeMerge()
  runOf(merge, { tid: 1, thread: 'a', proc: 'api' }, [[1, 'a1'], [4, 'a4'], [5, 'a5']])
  runOf(merge, { tid: 2, thread: 'b', proc: 'api' }, [[2, 'b2'], [3, 'b3'], [6, 'b6']])
  const messages = messagesOf(merge)
  assert.deepEqual(messages, ['a1', 'b2', 'b3', 'a4', 'a5', 'b6'])
  assert.deepEqual(stretches(merge.segments(), messages), ['a:a1', 'b:b2,b3', 'a:a4,a5', 'b:b6'])
})

test("the hub's own records are stretches of their own, of no origin", () => {
  const merge = new TimeMerge()
  merge.startRun()
  merge.setRunOrigin({ tid: 1, thread: 'a', proc: 'api' })
  merge.appendDeferred({ time: 0, build: () => '{"level":20,"time":0,"msg":"started"}\n' })
  const bytes = line(1, 'a1')
  merge.staging.appendRecord(bytes, 0, bytes.length)
  const messages = messagesOf(merge)
  assert.deepEqual(stretches(merge.segments(), messages), ['-:started', 'a:a1'])
  merge.clear()
  runOf(merge, { tid: 2, thread: 'b', proc: 'api' }, [[1, 'b1']])
  assert.deepEqual(stretches(merge.segments(), messagesOf(merge)), ['b:b1'], 'a cleared merge starts over')
})
