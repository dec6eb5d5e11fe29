import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { HUB_THREAD, parseNdjson } from '../helpers/read-records.ts'
import { minimalEnv, runProcess } from '../helpers/run-process.ts'

const example = fileURLToPath(new URL('../../examples/piscina.ts', import.meta.url))

test('examples/piscina.ts: each task logs in a pool thread under the jobId of the code that queued it', async () => {
  const { code, stdout, stderr } = await runProcess(process.execPath, [example], { env: minimalEnv({ NO_COLOR: '1' }) })
  assert.equal(code, 0, stderr)
  const all = parseNdjson(stdout)
  const records = all.filter((r) => r.thread !== HUB_THREAD)
  const rendered = records.filter((r) => r.msg === 'rendering report')
  assert.deepEqual(rendered.map((r) => [r.report, r.jobId]).sort(), [[1, 'job-1'], [2, 'job-2'], [3, 'job-3'], [4, 'job-4']])
  assert.ok(rendered.every((r) => typeof r.tid === 'number' && r.tid > 0 && r.proc === 'reports'), 'logged in the pool\'s threads')
  assert.deepEqual(records.find((r) => r.msg === 'all reports rendered')?.pages, [10, 20, 30, 40])
})

test('examples/piscina.ts: pool.destroy() terminates the pool\'s threads, and that is no warning', async () => {
  const { code, stdout, stderr } = await runProcess(process.execPath, [example], { env: minimalEnv({ NO_COLOR: '1' }) })
  assert.equal(code, 0, stderr)
  assert.equal(stderr, '')
  // The example logs at info: the hub's lifecycle records (debug) are not written, and nothing is a warning.
  const records = parseNdjson(stdout)
  assert.deepEqual(records.filter((r) => (r.level as number) >= 40), [])
  assert.equal(records.filter((r) => r.thread === HUB_THREAD).length, 0)
  assert.equal(records.length, 9, '4 × report queued, 4 × rendering report, all reports rendered')
})
