import assert from 'node:assert/strict'
import { isUtf8 } from 'node:buffer'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { KEY, LONG, MESSAGE, SHORT } from '../fixtures/faults/lone-surrogate-strings.ts'
import { parseNdjson } from '../helpers/read-records.ts'
import { runFixture } from '../helpers/run-fixture.ts'
import { tempFile } from '../helpers/temp-file.ts'

// pino writes a string of up to 100 characters as it is on Node < 25 (a faster path than
// JSON.stringify), and the ring's UTF-8 encoding turns each lone surrogate into U+FFFD; longer
// strings, and all strings on Node ≥ 25, go through JSON.stringify, which escapes it (\ud800):
// JSON that parses back to the very same string.
const replacesShort = Number(process.versions.node.split('.')[0]) < 25
const short = (value: string) => replacesShort ? value.toWellFormed() : value

test('lone surrogates in messages, values and keys arrive as valid UTF-8 JSON, from threads and child processes', { timeout: 60_000 }, async (t) => {
  const file = tempFile()
  const result = await runFixture('faults/lone-surrogates.ts', [file], {}, t.signal)
  assert.equal(result.code, 0, result.stderr)
  assert.equal(result.stderr, '')
  const bytes = readFileSync(file)
  assert.ok(isUtf8(bytes), 'the file is valid UTF-8')
  const records = parseNdjson(bytes.toString('utf8')).filter((r) => r.proc === 'utf16')
  const pids = [...new Set(records.map((r) => r.pid))]
  assert.equal(pids.length, 2, 'the root and its child')
  const sources = pids.flatMap((pid) => ['main', 'w0'].map((thread) => records.filter((r) => r.pid === pid && r.thread === thread)))
  for (const [first, second, ...rest] of sources) {
    assert.equal(rest.length, 0)
    assert.deepEqual(Object.fromEntries(Object.keys(SHORT).map((key) => [key, first?.[key]])),
      Object.fromEntries(Object.entries(SHORT).map(([key, value]) => [key, short(value)])))
    assert.equal(first?.long, LONG)
    assert.equal(first?.[short(KEY)], 1)
    assert.equal(first?.msg, short(MESSAGE))
    assert.equal(second?.msg, LONG)
  }
})
