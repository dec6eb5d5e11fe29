import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { parseNdjson } from '../helpers/read-records.ts'
import { minimalEnv, runProcess } from '../helpers/run-process.ts'

const example = fileURLToPath(new URL('../../examples/fastify.ts', import.meta.url))

test('examples/fastify.ts: request logs carry reqId once, and the worker\'s records carry the request\'s reqId', async () => {
  const { code, stdout, stderr } = await runProcess(process.execPath, [example], { env: minimalEnv({ NO_COLOR: '1' }) })
  assert.equal(code, 0, stderr)
  const lines = stdout.trim().split('\n')
  const withReqId = lines.filter((line) => line.includes('"reqId"'))
  assert.deepEqual(withReqId.filter((line) => line.split('"reqId":').length !== 2), [], 'reqId written once per record')
  const records = parseNdjson(stdout)
  for (const reqId of ['req-1', 'req-2', 'req-3']) {
    const story = records.filter((r) => r.reqId === reqId)
    assert.deepEqual(story.map((r) => [r.thread, r.msg]).sort(), [
      ['main', 'incoming request'], ['main', 'looking up the item'], ['main', 'request completed'], ['thumbnails', 'thumbnail rendered']
    ], reqId)
    assert.ok(story.every((r) => r.proc === 'shop'))
  }
})
