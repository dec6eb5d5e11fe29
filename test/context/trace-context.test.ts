import assert from 'node:assert/strict'
import { test } from 'node:test'
import { parseNdjson } from '../helpers/read-records.ts'
import { fixturePath, runFixture, type FixtureResult } from '../helpers/run-fixture.ts'
import { minimalEnv, runProcess } from '../helpers/run-process.ts'

function byMessage (result: FixtureResult): Map<unknown, Record<string, unknown>> {
  assert.equal(result.code, 0, result.stderr)
  return new Map(result.appRecords().map((record) => [record.msg, record]))
}

test('under an active span, records carry trace_id, span_id and trace_flags; outside it, none', async () => {
  const records = byMessage(await runFixture('otel-trace.ts'))
  const inSpan = records.get('in the span')
  assert.match(inSpan?.trace_id as string, /^[0-9a-f]{32}$/)
  assert.match(inSpan?.span_id as string, /^[0-9a-f]{16}$/)
  assert.equal(inSpan?.trace_flags, '01')
  // After the context's fields, before pino's: one run of threadlog fields.
  assert.deepEqual(Object.keys(inSpan ?? {}).slice(8), ['seq', 'reqId', 'trace_id', 'span_id', 'trace_flags', 'name', 'msg'])
  const afterAwait = records.get('after an await')
  assert.deepEqual([afterAwait?.trace_id, afterAwait?.span_id], [inSpan?.trace_id, inSpan?.span_id])
  for (const msg of ['before the span', 'after the span']) {
    assert.deepEqual(Object.keys(records.get(msg) ?? {}).filter((key) => key.startsWith('trace') || key === 'span_id'), [], msg)
  }
})

test('captureContext() carries the span into a worker: its records carry the trace of the request that gave it the job', async () => {
  const records = byMessage(await runFixture('otel-trace.ts'))
  const inSpan = records.get('in the span')
  const worker = records.get('in the worker')
  assert.equal(worker?.thread, 'job')
  assert.deepEqual([worker?.reqId, worker?.trace_id, worker?.span_id, worker?.trace_flags],
    ['r1', inSpan?.trace_id, inSpan?.span_id, '01'])
})

test('a CommonJS program (require of @opentelemetry/api and of threadlog) gets the trace fields too', async () => {
  const result = await runProcess(process.execPath, [fixturePath('otel-trace-commonjs.cts')], { env: minimalEnv() })
  assert.equal(result.code, 0, result.stderr)
  const [record] = parseNdjson(result.stdout).filter((r) => r.msg === 'in the span')
  assert.match(record?.trace_id as string, /^[0-9a-f]{32}$/)
  assert.match(record?.span_id as string, /^[0-9a-f]{16}$/)
})

test('without @opentelemetry/api where threadlog looks, records and captureContext() get no trace fields', async () => {
  const records = byMessage(await runFixture('otel-absent.ts'))
  const record = records.get('in the span')
  assert.deepEqual(record?.captured, {})
  assert.deepEqual(Object.keys(record ?? {}).filter((key) => key.includes('_id') || key === 'trace_flags'), [])
})

test('with a loader hook in front of every module (--import), records still carry the span', async () => {
  const result = await runProcess(process.execPath, ['--import', fixturePath('pass-through-hooks.ts'), fixturePath('otel-trace.ts')], { env: minimalEnv() })
  assert.equal(result.code, 0, result.stderr)
  const records = new Map(parseNdjson(result.stdout).map((record) => [record.msg, record]))
  assert.match(records.get('in the span')?.trace_id as string, /^[0-9a-f]{32}$/)
  assert.equal(records.get('in the worker')?.trace_id, records.get('in the span')?.trace_id)
})
