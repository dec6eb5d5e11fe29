import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startReceiver } from '../helpers/http-receiver.ts'
import { countPerSource, type LogRecord } from '../helpers/read-records.ts'
import { runFixture } from '../helpers/run-fixture.ts'

const PER_THREAD = 50

/** What Loki's push API takes: `{ streams: [{ stream: labels, values: [[ns, line], …] }] }`. */
interface LokiPush {
  streams: Array<{ stream: Record<string, string>, values: Array<[string, string]> }>
}

test('pino-loki as a target: Loki push requests with proc and thread labels from main, a worker and a child process', async (t) => {
  const loki = await startReceiver(t, () => ({ status: 204 }))
  const result = await runFixture('tree-into-targets.ts', [], {
    FIXTURE: JSON.stringify({
      workers: 1, perThread: PER_THREAD, pad: 0,
      targets: [{ target: 'pino-loki', options: { host: loki.url, labels: { app: 'shop' }, propsToLabels: ['proc', 'thread'] } }]
    })
  })
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stderr, '')
  assert.ok(loki.requests.length > 0)
  const entries: Array<{ labels: Record<string, string>, ns: string, record: LogRecord }> = []
  for (const request of loki.requests) {
    assert.deepEqual([request.method, request.url, request.headers['content-type']], ['POST', '/loki/api/v1/push', 'application/json'])
    const push = JSON.parse(request.body.toString('utf8')) as LokiPush
    for (const { stream, values } of push.streams) {
      for (const [ns, line] of values) entries.push({ labels: stream, ns, record: JSON.parse(line) as LogRecord })
    }
  }
  const records = entries.map(({ record }) => record).filter((r) => r.msg === 'record')
  // Loki's lines carry no hostname (pino-loki makes it a label); the sources are told by pid and thread.
  const counts = countPerSource(records)
  assert.deepEqual([...counts.values()], [PER_THREAD, PER_THREAD, PER_THREAD])
  for (const { labels, ns, record } of entries) {
    assert.deepEqual(Object.keys(labels).sort(), ['app', 'hostname', 'level', 'proc', 'thread'])
    assert.deepEqual([labels.app, labels.level, labels.proc, labels.thread], ['shop', 'info', record.proc, record.thread])
    // Nanoseconds since the epoch, as a string: the record's millisecond time × 10⁶.
    assert.equal(ns, String(record.time as number * 1e6))
  }
  assert.deepEqual(new Set(entries.map(({ labels }) => `${labels.proc}/${labels.thread}`)), new Set(['root/main', 'root/w0', 'child/main']))
})
