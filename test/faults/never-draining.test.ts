import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { assertWholeAndOrdered, readRecords } from '../helpers/read-records.ts'
import { runFixture } from '../helpers/run-fixture.ts'
import { tempFile } from '../helpers/temp-file.ts'

const transport = (name: string) => fileURLToPath(new URL(`../fixtures/transports/${name}.ts`, import.meta.url))

/** Runs the fixture with `target` as its second target; returns how long exit was held, and the file's records. */
async function runNeverDraining (target: string, signal: AbortSignal) {
  const file = tempFile()
  const result = await runFixture('faults/never-draining.ts', [file, target], {}, signal)
  assert.equal(result.code, 0, result.stderr)
  return { result, heldMs: Number(result.stdout), records: readRecords(file) }
}

test('a target whose stream never calls back: exit holds flushTimeoutMs, names it and counts what it had not written', { timeout: 60_000 }, async (t) => {
  const hangs = transport('hangs')
  const { result, heldMs, records } = await runNeverDraining(hangs, t.signal)
  assert.equal(result.stderr, 'threadlog: flush timed out after 500 ms; 1000 records had not reached every target; ' +
    `target "${hangs}" had not finished a write of 1000 records\n`)
  // The other target has them all.
  assert.deepEqual(Object.fromEntries(assertWholeAndOrdered(records)), { main: 1000 })
  // The hub answers the count at once: the timeout and a little more (a loaded machine is slower).
  assert.ok(heldMs >= 500 && heldMs < 1500, `exit held ${heldMs} ms`)
})

test('a target that blocks the hub\'s thread: exit holds flushTimeoutMs plus 1 s for an answer, and says what it cannot know', { timeout: 60_000 }, async (t) => {
  const { result, heldMs, records } = await runNeverDraining(transport('gated'), t.signal)
  // The hub took every record into its batch before the target blocked it: none is left in a ring.
  assert.equal(result.stderr, 'threadlog: flush timed out after 500 ms; 0 records in the threads\' rings had not reached every target, ' +
    'and the hub, whose thread a target blocks, did not say what it held\n')
  assert.deepEqual(Object.fromEntries(assertWholeAndOrdered(records)), { main: 1000 })
  assert.ok(heldMs >= 1500 && heldMs < 2500, `exit held ${heldMs} ms`)
})
