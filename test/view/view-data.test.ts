import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseFilterQuery } from '../../src/view/page/filter.ts'
import { buildPageScript } from '../../src/view/page-script.ts'
import { renderViewPage } from '../../src/view/page-template.ts'
import { encodeForScriptElement, encodeViewData, sortByTime } from '../../src/view/view-data.ts'
import { readViewRecord, type ViewRecord } from '../../src/view/view-record.ts'
import { laneLabels, readViewData } from '../helpers/view-cli.ts'

const HUB = 'threadlog-hub'

function viewRecords (lines: Array<Record<string, unknown>>): ViewRecord[] {
  return sortByTime(lines.map((line) => readViewRecord(line) as ViewRecord))
}

const base = (pid: number, ppid: number, proc: string, tid: number, thread: string) => ({ pid, ppid, proc, tid, thread, hostname: 'h' })

test('a record is read with a label or a number as its level, an ISO or epoch time, the rest as fields', () => {
  const record = readViewRecord({ level: 'WARNING', time: '2026-12-07T01:00:00.000Z', ...base(5, 1, 'api', 2, 'w'), seq: 3, reqId: 'r', msg: 'm' })
  assert.deepEqual(record, {
    time: Date.UTC(2026, 11, 7, 1), level: 40, msg: 'm', lifecycle: undefined,
    source: { pid: 5, ppid: 1, proc: 'api', hostname: 'h', tid: 2, thread: 'w' }, fields: { seq: 3, reqId: 'r' }
  })
  assert.equal(readViewRecord({ level: 30, msg: 'no time' }), undefined)
})

test("the hub's lifecycle records go to the lane of the thread or process they describe", () => {
  const records = viewRecords([
    { level: 20, time: 1, ...base(5, 1, 'api', 1, HUB), threadId: 2, threadName: 'resize', msg: 'thread started' },
    { level: 30, time: 2, ...base(5, 1, 'api', 2, 'resize'), msg: 'working' },
    { level: 40, time: 3, ...base(5, 1, 'api', 1, HUB), threadId: 2, threadName: 'resize', exitCode: 1, msg: 'thread exited' },
    { level: 20, time: 4, ...base(5, 1, 'api', 1, HUB), processId: 9, processName: 'child', parentProcessId: 5, msg: 'process connected' },
    { level: 30, time: 5, ...base(9, 5, 'child', 0, 'main'), msg: 'child works' },
    { level: 20, time: 6, ...base(5, 1, 'api', 1, HUB), processId: 9, processName: 'child', signal: 'SIGTERM', msg: 'process exited' },
    { level: 30, time: 7, ...base(5, 1, 'api', 0, 'main'), msg: 'main works' },
    { level: 20, time: 8, ...base(5, 1, 'api', 1, HUB), threadId: 4, threadName: 'pool', exitCode: 1, terminated: true, msg: 'thread exited' }
  ])
  const data = encodeViewData(records, 'test', ['reqId'])
  assert.deepEqual(laneLabels(data), ['api:5/main:0', 'api:5/resize:2', 'api:5/pool:4', 'child:9/main:0'])
  assert.deepEqual(data.lanes.map(({ start, end, startKnown, endKnown, exit }) => ({ start, end, startKnown, endKnown, exit })), [
    { start: 7, end: 7, startKnown: false, endKnown: false, exit: undefined },
    { start: 1, end: 3, startKnown: true, endKnown: true, exit: 'exit code 1' },
    { start: 8, end: 8, startKnown: false, endKnown: true, exit: 'terminated' },
    { start: 4, end: 6, startKnown: false, endKnown: false, exit: undefined }
  ])
  assert.deepEqual(data.processes.map(({ pid, depth, startKnown, endKnown, exit }) => ({ pid, depth, startKnown, endKnown, exit })), [
    { pid: 5, depth: 0, startKnown: false, endKnown: false, exit: undefined },
    { pid: 9, depth: 1, startKnown: true, endKnown: true, exit: 'signal SIGTERM' }
  ])
  assert.deepEqual(data.fields[data.field[0] as number], { threadId: 2, threadName: 'resize', pid: 5, tid: 1, thread: HUB })
})

test('processes are in tree order: each parent above its children, siblings by start time', () => {
  const records = viewRecords([
    { level: 30, time: 5, ...base(30, 10, 'late-child', 0, 'main'), msg: 'x' },
    { level: 30, time: 1, ...base(10, 1, 'root', 0, 'main'), msg: 'x' },
    { level: 30, time: 3, ...base(40, 20, 'grandchild', 0, 'main'), msg: 'x' },
    { level: 30, time: 2, ...base(20, 10, 'early-child', 0, 'main'), msg: 'x' },
    { level: 30, time: 2, ...base(10, 1, 'root', 3, 'w'), msg: 'x' }
  ])
  const data = encodeViewData(records, 'test', [])
  assert.deepEqual(data.processes.map(({ proc, depth }) => `${depth}:${proc}`), ['0:root', '1:early-child', '2:grandchild', '1:late-child'])
  assert.deepEqual(laneLabels(data), ['root:10/main:0', 'root:10/w:3', 'early-child:20/main:0', 'grandchild:40/main:0', 'late-child:30/main:0'])
})

test('columns: times as deltas, messages and field sets each written once', () => {
  const records = viewRecords([
    { level: 30, time: 100, ...base(1, 0, 'a', 0, 'main'), k: 1, msg: 'same' },
    { level: 30, time: 103, ...base(1, 0, 'a', 0, 'main'), k: 1, msg: 'same' },
    { level: 50, time: 110, ...base(1, 0, 'a', 0, 'main'), k: 2, msg: 'other' }
  ])
  const { t0, dt, msg, messages, field, fields, level } = encodeViewData(records, 'test', [])
  assert.deepEqual({ t0, dt, msg, messages, field, fields, level }, {
    t0: 100, dt: [0, 3, 7], msg: [0, 0, 1], messages: ['same', 'other'], field: [0, 0, 1], fields: [{ k: 1 }, { k: 2 }], level: [30, 30, 50]
  })
})

test('the data block has no "<" and no U+2028/2029, and reads back to the same values', () => {
  const hostile = '</script><img src=x onerror=alert(1)><!-- \u2028\u2029 </SCRIPT>'
  const records = viewRecords([{ level: 30, time: 1, ...base(1, 0, hostile, 0, hostile), [hostile]: hostile, msg: hostile }])
  const data = encodeViewData(records, hostile, [])
  const encoded = encodeForScriptElement(data)
  assert.equal(/[<\u2028\u2029]/.test(encoded), false)
  assert.deepEqual(JSON.parse(encoded), JSON.parse(JSON.stringify(data)))
  const page = renderViewPage(data)
  assert.deepEqual(readViewData(page), JSON.parse(JSON.stringify(data)))
  // The hostile text appears in the markup only escaped (the title) and in the data block only as \u003c.
  assert.equal(page.includes('<img'), false)
  assert.equal(page.split('</script>').length - 1, 2, 'only the page\'s own two script elements end')
})

test("the page's script is built from the page modules and starts the view", () => {
  const script = buildPageScript()
  assert.ok(script.endsWith('\nstartView();'))
  for (const name of ['function startView', 'function drawView', 'function parseFilterQuery', 'const GEOMETRY = {']) {
    assert.ok(script.includes(name), name)
  }
})

test('the filter box syntax: lane, level, field and word terms; what does not parse is named', () => {
  const { terms, errors } = parseFilterQuery('thread:resize-* level>=warn reqId=7f3a user!=4? timeout -retry level>=loud')
  assert.deepEqual(terms.map((term) => term.kind === 'lane' || term.kind === 'field'
    ? { ...term, pattern: term.pattern.source }
    : term), [
    { kind: 'lane', key: 'thread', pattern: '^resize-.*$' },
    { kind: 'level', op: '>=', value: 40 },
    { kind: 'field', key: 'reqId', pattern: '^7f3a$', negated: false },
    { kind: 'field', key: 'user', pattern: '^4.$', negated: true },
    { kind: 'word', word: 'timeout', negated: false },
    { kind: 'word', word: 'retry', negated: true }
  ])
  assert.deepEqual(errors, ['level>=loud'])
})
