import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { minimalEnv, runProcess } from '../helpers/run-process.ts'

const example = fileURLToPath(new URL('../../examples/aggregators.ts', import.meta.url))

test('examples/aggregators.ts runs without servers: its stand-ins get every record over Loki, bulk and OTLP, and pino-roll writes a file', async (t) => {
  const { code, stdout, stderr } = await runProcess(process.execPath, [example], { env: minimalEnv({ NO_COLOR: '1' }), signal: t.signal })
  assert.equal(code, 0, stderr)
  assert.equal(stderr, '')
  assert.match(stdout, /^every receiver got its 7 records: \{"loki":7,"elasticsearch":7,"otlp":7\}; files: app\.1\.log$/m)
  assert.match(stdout, /loki {11}← \d+ entries, streams .*\{proc="shop",thread="resize"\}/)
  // Every thumbnail record, logged in the worker, carries the trace of the request that asked for it.
  const worker = stdout.split('\n').filter((line) => line.includes('t[resize:') && line.includes('thumbnail rendered'))
  assert.equal(worker.length, 3)
  assert.ok(worker.every((line) => /reqId=req-\d trace_id=[0-9a-f]{32} span_id=[0-9a-f]{16} trace_flags=01/.test(line)), worker.join('\n'))
})
