import assert from 'node:assert/strict'
import { test } from 'node:test'
import { startReceiver } from '../helpers/http-receiver.ts'
import { runFixture } from '../helpers/run-fixture.ts'

/** An OTLP `AnyValue` as the JSON encoding writes it (int64 as a string, or a number). */
type AnyValue = { stringValue?: string, intValue?: string | number, doubleValue?: number, boolValue?: boolean }
interface KeyValue { key: string, value: AnyValue }
interface LogRecord {
  timeUnixNano: string | number
  severityNumber: number
  severityText: string
  body: AnyValue
  attributes: KeyValue[]
  traceId?: string
  spanId?: string
  flags?: number | string
}
interface ExportLogsRequest {
  resourceLogs: Array<{ resource: { attributes: KeyValue[] }, scopeLogs: Array<{ scope: { name: string, version?: string }, logRecords: LogRecord[] }> }>
}

function plain (value: AnyValue | undefined): unknown {
  if (value === undefined) return undefined
  if (value.intValue !== undefined) return Number(value.intValue)
  return value.stringValue ?? value.doubleValue ?? value.boolValue
}

function attributesOf (list: KeyValue[]): Record<string, unknown> {
  return Object.fromEntries(list.map(({ key, value }) => [key, plain(value)]))
}

test('pino-opentelemetry-transport as a target: OTLP/HTTP JSON with resource, thread attributes, severities and the trace', async (t) => {
  const collector = await startReceiver(t, () => ({ status: 200, headers: { 'content-type': 'application/json' }, body: '{}' }))
  const result = await runFixture('otlp-export.ts', [collector.url])
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stderr, '')
  const requests = collector.requests
  assert.ok(requests.length > 0)
  const records: Array<{ resource: Record<string, unknown>, scope: string, record: LogRecord, attributes: Record<string, unknown> }> = []
  for (const request of requests) {
    assert.deepEqual([request.method, request.url, request.headers['content-type']], ['POST', '/v1/logs', 'application/json'])
    const body = JSON.parse(request.body.toString('utf8')) as ExportLogsRequest
    for (const { resource, scopeLogs } of body.resourceLogs) {
      for (const { scope, logRecords } of scopeLogs) {
        for (const record of logRecords) {
          records.push({ resource: attributesOf(resource.attributes), scope: scope.name, record, attributes: attributesOf(record.attributes) })
        }
      }
    }
  }
  const byBody = new Map(records.filter(({ attributes }) => attributes['thread.name'] !== 'threadlog-hub').map((entry) => [plain(entry.record.body), entry]))
  assert.deepEqual([...byBody.keys()].sort(), ['a warning', 'from main', 'from the worker', 'in a span'])
  const main = byBody.get('from main')
  assert.equal(main?.scope, 'shop')
  const pid = main?.resource['process.pid'] as number
  assert.ok(pid > 0)
  assert.deepEqual([main?.resource['service.name'], main?.resource['process.parent_pid']], ['shop', process.pid])
  assert.deepEqual([main?.record.severityNumber, main?.record.severityText], [9, 'info'])
  assert.deepEqual([main?.attributes['thread.id'], main?.attributes['thread.name'], main?.attributes.n], [0, 'main', 1])
  const warning = byBody.get('a warning')
  assert.deepEqual([warning?.record.severityNumber, warning?.record.severityText], [13, 'warn'])
  const worker = byBody.get('from the worker')
  assert.equal(worker?.attributes['thread.name'], 'resize')
  assert.ok((worker?.attributes['thread.id'] as number) > 0)
  assert.equal(worker?.resource['process.pid'], pid)
  // The record's own time, in nanoseconds.
  assert.match(String(main?.record.timeUnixNano), /^\d{19}$/)
  // trace_id/span_id/trace_flags become the log record's trace context, not attributes.
  const inSpan = byBody.get('in a span')
  // The transport hands threadlog's "01" on as it is; OTLP's JSON mapping reads an integer from a string.
  assert.deepEqual([inSpan?.record.traceId, inSpan?.record.spanId, Number(inSpan?.record.flags)], [inSpan?.attributes.traceId, inSpan?.attributes.spanId, 1])
  assert.equal(inSpan?.attributes.trace_id, undefined)
})
