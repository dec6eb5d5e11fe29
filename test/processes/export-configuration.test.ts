import assert from 'node:assert/strict'
import { mkdirSync, statSync } from 'node:fs'
import { dirname, isAbsolute } from 'node:path'
import { test } from 'node:test'
import { readRecords } from '../helpers/read-records.ts'
import { fixturePath, runFixture } from '../helpers/run-fixture.ts'
import { minimalEnv, runProcess } from '../helpers/run-process.ts'
import { tempFile } from '../helpers/temp-file.ts'

test('a process where only workers log still removes its socket directory on exit', async () => {
  const result = await runFixture('worker-first-tree.ts', [], { MODE: 'workers-only' })
  assert.equal(result.code, 0, result.stderr)
  const { exported } = JSON.parse(result.stderr) as { exported: string }
  assert.ok(isAbsolute(exported), exported)
  assert.throws(() => statSync(dirname(exported)), { code: 'ENOENT' })
  assert.deepEqual(result.appRecords().map((r) => r.msg), ['from the worker'], 'and its records were flushed on exit')
})

test('exportHub: false after a worker started the hub stops exporting; a later, different value throws', async () => {
  const out = tempFile()
  const result = await runFixture('worker-first-tree.ts', [], { MODE: 'late-opt-out', OUT: out })
  assert.equal(result.code, 0, result.stderr)
  const records = readRecords(out)
  const optedOut = records.find((r) => r.msg === 'opted out')
  assert.equal(optedOut?.after, null, 'THREADLOG_HUB is no longer exported')
  assert.throws(() => statSync(dirname(optedOut?.exported as string)), { code: 'ENOENT' }, 'the socket directory is gone')
  assert.equal(records.some((r) => r.msg === 'from the child'), false, 'the child did not relay')
  assert.deepEqual(result.appRecords().filter((r) => r.proc === 'child').map((r) => r.msg), ['from the child'], 'it logged on its own')
  assert.equal(records.find((r) => r.msg === 'second exportHub')?.error,
    'threadlog: option "exportHub" is true, but this process\'s hub was configured with false; ' +
    'it is decided once per process, by the first main-thread logger that passes it')
})

test('a relative TMPDIR still exports an absolute socket path, removed on exit', async () => {
  const cwd = dirname(tempFile())
  mkdirSync(cwd, { recursive: true })
  const result = await runProcess(process.execPath, [fixturePath('worker-first-tree.ts')], {
    cwd, env: minimalEnv({ MODE: 'workers-only', TMPDIR: '.' })
  })
  assert.equal(result.code, 0, result.stderr)
  const { exported } = JSON.parse(result.stderr) as { exported: string }
  assert.ok(isAbsolute(exported) && exported.startsWith(cwd), exported)
  assert.throws(() => statSync(dirname(exported)), { code: 'ENOENT' })
})
