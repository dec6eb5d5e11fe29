import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { parseNdjson } from '../helpers/read-records.ts'
import { minimalEnv, runProcess } from '../helpers/run-process.ts'

const example = fileURLToPath(new URL('../../examples/pino-http.ts', import.meta.url))

test('examples/pino-http.ts: pino-http\'s records carry the identity, one req.id, and the handler\'s records that request\'s', async () => {
  const { code, stdout, stderr } = await runProcess(process.execPath, [example], { env: minimalEnv({ NO_COLOR: '1' }) })
  assert.equal(code, 0, stderr)
  const records = parseNdjson(stdout).filter((r) => r.thread === 'main')
  const completed = records.filter((r) => r.msg === 'request completed')
  assert.deepEqual(completed.map((r) => [(r.req as { url: string }).url, (r.res as { statusCode: number }).statusCode, r.proc, r.name]),
    [['/a', 200, 'gateway', 'gateway'], ['/b', 200, 'gateway', 'gateway']])
  const routing = records.filter((r) => r.msg === 'routing')
  assert.deepEqual(routing.map((r) => [r.path, (r.req as { id: number }).id, r.reqId]),
    completed.map((r) => [(r.req as { url: string }).url, (r.req as { id: number }).id, (r.req as { id: number }).id]))
})
