import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { runFixture } from '../helpers/run-fixture.ts'
import { tempFile } from '../helpers/temp-file.ts'

test('pino-pretty as a target prints the identity as one p[…] t[…] tag with its ignore and messageFormat options', async () => {
  const output = tempFile('pretty.log')
  const result = await runFixture('pino-pretty-target.ts', [output])
  assert.equal(result.code, 0, result.stderr)
  const text = readFileSync(output, 'utf8')
  const pid = /p\[api:(\d+)\]/.exec(text)?.[1]
  const tid = Number(/t\[resize:(\d+)\]/.exec(text)?.[1])
  assert.ok(tid > 0, text)
  const lines = text.split('\n').filter((line) => !line.includes('threadlog-hub'))
  assert.deepEqual(lines, [
    `INFO: p[api:${pid}] t[main:0] hello {"reqId":"r1","n":1}`,
    `WARN: p[api:${pid}] t[resize:${tid}] from the worker`,
    `INFO: p[api:${pid}] t[main:0] done`,
    ''
  ])
})
