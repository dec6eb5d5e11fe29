import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { renameSync } from 'node:fs'
import { createInterface } from 'node:readline'
import { test } from 'node:test'
import { resolveTargets } from '../../src/targets/target-spec.ts'
import { readRecords } from '../helpers/read-records.ts'
import { fixturePath } from '../helpers/run-fixture.ts'
import { minimalEnv } from '../helpers/run-process.ts'
import { tempFile } from '../helpers/temp-file.ts'

test('a file target with reopenOnSighup: renamed, then SIGHUP, and the new file gets every later record', async (t) => {
  const path = tempFile('app.log')
  const child = spawn(process.execPath, [fixturePath('reopen-on-sighup.ts'), path], { env: minimalEnv(), stdio: ['ignore', 'pipe', 'pipe'] })
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill() })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const exited = once(child, 'exit')
  const [line] = await once(createInterface({ input: child.stdout }), 'line') as [string]
  assert.equal(line, 'ready')
  // What logrotate does without copytruncate: move the file away, then tell the process.
  renameSync(path, `${path}.1`)
  child.kill('SIGHUP')
  const [code, signal] = await exited as [number | null, string | null]
  assert.deepEqual([code, signal, stderr], [0, null, ''])
  assert.deepEqual(readRecords(`${path}.1`).map((r) => r.n), Array.from({ length: 100 }, (_, i) => i + 1))
  assert.deepEqual(readRecords(path).map((r) => r.n), Array.from({ length: 100 }, (_, i) => i + 101))
})

test('reopenOnSighup must be a boolean', () => {
  assert.throws(() => resolveTargets([{ target: 'file', options: { path: 'x', reopenOnSighup: 'yes' } }]),
    { name: 'TypeError', message: 'threadlog: option "targets[0].options.reopenOnSighup" must be a boolean' })
})
