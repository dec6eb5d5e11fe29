import assert from 'node:assert/strict'
import { fileURLToPath } from 'node:url'
import { test } from 'node:test'
import { minimalEnv, runProcess } from '../helpers/run-process.ts'
import { parseNdjson } from '../helpers/read-records.ts'

const example = fileURLToPath(new URL('../../examples/prime-pipeline.ts', import.meta.url))

function isPrime (n: number): boolean {
  if (n < 2) return false
  for (let d = 2; d * d <= n; d++) if (n % d === 0) return false
  return true
}

test('examples/prime-pipeline.ts: every number is a result once, with its job context and the identity of its producer', async () => {
  const { code, stdout, stderr } = await runProcess(process.execPath, [example], { env: minimalEnv({ LOG_LEVEL: 'debug' }) })
  assert.equal(code, 0, stderr)
  const records = parseNdjson(stdout)
  const results = records.filter((r) => r.msg === '>> result')
  assert.deepEqual(results.map((r) => r.n).sort((a, b) => (a as number) - (b as number)), Array.from({ length: 999 }, (_, i) => i + 1))
  const tested = new Map(records.filter((r) => r.msg === 'tested').map((r) => [r.job, r]))
  assert.equal(tested.size, 999, 'each job tested once, in its context')
  assert.equal(new Set([...tested.values()].map((r) => r.caller)).size, 1, 'one call site, in threads and processes alike')
  assert.match(String(tested.get(1)?.caller), /^examples\/prime-pipeline\.ts:\d+:\d+$/)
  const producers = new Set<string>()
  for (const result of results) {
    assert.equal(result.job, result.n, 'the job context followed the result through both queues')
    assert.equal(result.prime, isPrime(result.n as number))
    assert.match(String(result.thread), /^consumer-[1-4]$/)
    const producer = tested.get(result.job)
    assert.equal(producer?.n, result.n)
    assert.equal(result.producedBy, `p[${String(producer?.proc)}:${String(producer?.pid)}] t[${String(producer?.thread)}:${String(producer?.tid)}]`)
    producers.add(result.producedBy as string)
  }
  assert.equal(producers.size, 8, '4 tester threads and 4 tester processes all produced results')
  assert.equal(new Set(results.map((r) => r.pid)).size, 1, 'consumers are threads of the root process')
})
