import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { runFixture } from '../helpers/run-fixture.ts'
import { tempFile } from '../helpers/temp-file.ts'

function messagesIn (path: string): unknown[] {
  return readFileSync(path, 'utf8').trim().split('\n').map((line) => (JSON.parse(line) as { msg: unknown }).msg)
}

for (const [mode, what] of [['label', '{"level":"warn"}'], ['ecs', '{"log.level":"warn"}']] as const) {
  test(`a target's level works with a level formatter writing ${what}`, async () => {
    const file = tempFile()
    const result = await runFixture('label-levels-targets.ts', [mode, file])
    assert.equal(result.code, 0, result.stderr)
    assert.deepEqual(messagesIn(file), ['warn record', 'error record'])
  })
}

test('pino\'s transport option runs in the hub as targets, with its level', async () => {
  const file = tempFile()
  const result = await runFixture('label-levels-targets.ts', ['transport', file])
  assert.equal(result.code, 0, result.stderr)
  assert.deepEqual(messagesIn(file), ['warn record', 'error record'])
  assert.equal(result.stdout, '', 'nothing goes to the default target')
})
