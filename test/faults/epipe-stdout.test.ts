import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import type { LogStats } from '../../src/index.ts'
import { parseNdjson } from '../helpers/read-records.ts'
import { fixturePath } from '../helpers/run-fixture.ts'
import { minimalEnv, runProcess } from '../helpers/run-process.ts'
import { tempFile } from '../helpers/temp-file.ts'

test('EPIPE on stdout (`| head -1`): reported once, the app does not crash and goes on logging', { timeout: 60_000 }, async (t) => {
  const report = tempFile('report.json')
  // A real shell pipeline; the program's status is echoed on stderr, which head does not read.
  const script = '{ "$0" "$1" "$2"; echo "status $?" >&2; } | head -1'
  const result = await runProcess('sh', ['-c', script, process.execPath, fixturePath('faults/epipe-stdout.ts'), report],
    { env: minimalEnv(), signal: t.signal })
  assert.equal(result.code, 0)
  const [first, ...rest] = parseNdjson(result.stdout)
  assert.deepEqual([first?.seq, first?.n, rest.length], [1, 1, 0])
  assert.equal(result.stderr, 'threadlog: target "ndjson" failed and receives no more records: EPIPE: broken pipe, write\nstatus 0\n')
  const { logged, failed, stats } = JSON.parse(readFileSync(report, 'utf8')) as { logged: number, failed: boolean, stats: LogStats }
  assert.equal(failed, true)
  const [target] = stats.targets
  assert.deepEqual([stats.targets.length, target?.name, target?.failed], [1, 'ndjson', true])
  // What the target accepted: the writes that completed before the pipe broke. The write that met
  // EPIPE is not counted, though the pipe may have taken part of it (head printed its first line).
  assert.ok(Number.isInteger(target?.written) && (target?.written ?? logged) < logged, `${target?.written} of ${logged}`)
  // Every record was handed to the hub's targets: none was dropped or lost on the way (a failed
  // target's own count says what it took).
  assert.deepEqual(stats.sources.map(({ thread, written, dropped, lost }) => [thread, written, dropped, lost]), [['main', logged, 0, 0]])
})
