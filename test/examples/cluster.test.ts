import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { runProcess } from '../helpers/run-process.ts'
import { parseNdjson } from '../helpers/read-records.ts'

const example = fileURLToPath(new URL('../../examples/cluster.ts', import.meta.url))

test('examples/cluster.ts: every request\'s records come from one cluster worker, in the primary\'s one stream', async () => {
  const { code, stdout, stderr } = await runProcess(process.execPath, [example])
  assert.equal(code, 0, stderr)
  const records = parseNdjson(stdout)
  const primary = records.find((r) => r.msg === 'starting the cluster')?.pid
  const received = records.filter((r) => r.msg === 'request received')
  assert.deepEqual(received.map((r) => r.url).sort(), Array.from({ length: 8 }, (_, i) => `/items/${i + 1}`).sort())
  for (const request of received) {
    const related = records.filter((r) => r.reqId === request.reqId)
    // received and sent; item 7 is also out of stock
    assert.equal(related.length, request.url === '/items/7' ? 3 : 2, `records of request ${String(request.reqId)}`)
    assert.ok(related.every((r) => r.pid === request.pid && r.ppid === primary && r.proc === 'http'))
    assert.equal(request.reqId, `${String(request.worker)}-${String(request.reqId).split('-')[1]}`, 'reqId starts with the worker id')
  }
  // A clean exit is a debug record, which the example's info level hides; one that is not would be a warning.
  assert.deepEqual(records.filter((r) => r.msg === 'process exited'), [])
  assert.equal(records.filter((r) => r.msg === 'worker listening').length, 4)
})
