import assert from 'node:assert/strict'
import { test } from 'node:test'
import { answerLikeElasticsearch, bulkEntries } from '../helpers/elasticsearch-receiver.ts'
import { startReceiver } from '../helpers/http-receiver.ts'
import { countPerSource } from '../helpers/read-records.ts'
import { runFixture } from '../helpers/run-fixture.ts'

const PER_THREAD = 50

test('pino-elasticsearch as a target: bulk documents with the identity fields, from main, a worker and a child process', async (t) => {
  const es = await startReceiver(t, answerLikeElasticsearch)
  const result = await runFixture('tree-into-targets.ts', [], {
    FIXTURE: JSON.stringify({
      workers: 1, perThread: PER_THREAD, pad: 0,
      targets: [{ target: 'pino-elasticsearch', options: { node: es.url, index: 'logs-threadlog', esVersion: 8, flushBytes: 4096 } }]
    })
  })
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stderr, '')
  const bulks = es.requests.filter((r) => r.url === '/_bulk')
  assert.ok(bulks.length > 1, `${bulks.length} bulk requests`)
  for (const request of bulks) {
    assert.equal(request.method, 'POST')
    assert.match(request.headers['content-type'] ?? '', /^application\/vnd\.elasticsearch\+x-ndjson; ?compatible-with=8$/)
  }
  const entries = bulkEntries(es.requests)
  assert.ok(entries.every(({ action }) => JSON.stringify(action) === '{"index":{"_index":"logs-threadlog"}}'), JSON.stringify(entries[0]?.action))
  // The bulk helper sends up to 5 requests at once: ES does not keep their order, so neither does this.
  const docs = entries.map(({ doc }) => doc).filter((doc) => doc.msg === 'record').sort((a, b) => (a.seq as number) - (b.seq as number))
  assert.deepEqual([...countPerSource(docs).values()], [PER_THREAD, PER_THREAD, PER_THREAD])
  const root = docs.find((doc) => doc.thread === 'w0')
  assert.deepEqual(Object.keys(root ?? {}), ['level', 'time', 'pid', 'hostname', 'ppid', 'proc', 'tid', 'thread', 'seq', 'name', 'n', 'pad', 'msg'])
  assert.deepEqual([root?.proc, typeof root?.tid, root?.thread], ['root', 'number', 'w0'])
  // pino-elasticsearch turns the epoch milliseconds into an ISO date, which ES maps as a date.
  assert.match(root?.time as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
  assert.equal(docs.filter((doc) => doc.proc === 'child').length, PER_THREAD)
})

test('ECS names through @elastic/ecs-pino-format and formatters.identity reach Elasticsearch with opType create', async (t) => {
  const es = await startReceiver(t, answerLikeElasticsearch)
  const result = await runFixture('ecs-into-elasticsearch.ts', [es.url])
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stderr, '')
  const entries = bulkEntries(es.requests)
  const docs = entries.map(({ doc }) => doc).filter((doc) => doc['log.level'] === 'info')
  // pino-elasticsearch's own shape for opType "create" (a data stream takes creates only).
  assert.ok(entries.every(({ action }) => JSON.stringify(action) === '{"index":{"_index":"logs-ecs","op_type":"create"}}'), JSON.stringify(entries[0]?.action))
  const byMessage = new Map(docs.map((doc) => [doc.message, doc]))
  const main = byMessage.get('from main')
  const worker = byMessage.get('from the worker')
  assert.equal(byMessage.size, 2)
  assert.deepEqual([main?.['process.thread.id'], main?.['process.thread.name']], [0, 'main'])
  assert.deepEqual(worker?.['process.thread.name'], 'resize')
  assert.ok((worker?.['process.thread.id'] as number) > 0)
  for (const doc of [main, worker]) {
    assert.equal(doc?.['process.parent.pid'], process.pid)
    assert.equal(doc?.['ecs.version'], '8.10.0')
    assert.match(doc?.['@timestamp'] as string, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/)
    // ECS's own timestamp: pino-elasticsearch adds no `time` of its own then.
    assert.equal(doc?.time, undefined)
    assert.equal(typeof doc?.['process.pid'], 'number')
  }
})
