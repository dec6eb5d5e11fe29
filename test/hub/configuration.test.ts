import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { createLogger, flushAll } from '../../src/index.ts'
import { readRecords } from '../helpers/read-records.ts'
import { HUB_THREAD, runFixture } from '../helpers/run-fixture.ts'
import { tempFile } from '../helpers/temp-file.ts'

test('a worker that logs before the main thread configures anything: one hub, nothing lost', async () => {
  const file = tempFile()
  const result = await runFixture('worker-logs-first.ts', [file])
  assert.equal(result.code, 0, result.stderr)
  // The hub ran the defaults (NDJSON on stdout, a pipe here) until the main thread configured the file.
  const records = [...result.records(), ...readRecords(file)]
  const app = records.filter((r) => r.thread !== HUB_THREAD)
  assert.deepEqual(app.filter((r) => r.thread === 'early').map((r) => r.seq).sort(), [1, 2, 3])
  assert.deepEqual(app.filter((r) => r.thread === 'main').map((r) => r.msg), ['main configured'])
  assert.equal(new Set(records.filter((r) => r.thread === HUB_THREAD).map((r) => r.tid)).size, 1, 'one hub')
})

test('a worker spawned before the main thread loaded threadlog writes its records itself, then through the hub once it runs', async () => {
  const file = tempFile()
  const result = await runFixture('worker-before-import.ts', [file])
  assert.equal(result.code, 0, result.stderr)
  // Written at once by the worker itself: a worker.terminate() could not lose them, an exit waits for nothing.
  assert.equal(result.stderr, 'threadlog: the main thread had not loaded threadlog when thread pioneer (1) started; ' +
    'it writes its records itself until a hub takes them\n')
  assert.deepEqual(result.records().map((r) => [r.thread, r.seq, r.msg]), [1, 2, 3].map((seq) => ['pioneer', seq, 'before the hub']))
  const records = readRecords(file)
  assert.deepEqual(records.filter((r) => r.thread === 'pioneer').map((r) => [r.seq, r.msg]), [4, 5, 6].map((seq) => [seq, 'through the hub']))
  assert.deepEqual(records.filter((r) => r.thread === 'main').map((r) => r.msg), ['main loaded threadlog'])
})

test('per-target levels, a pino transport module unchanged, and the pretty target', async () => {
  const [warnFile, pinoFile, prettyFile] = [tempFile('warn.ndjson'), tempFile('pino.ndjson'), tempFile('pretty.txt')]
  const result = await runFixture('targets-mix.ts', [warnFile, pinoFile, prettyFile], { TZ: 'UTC' })
  assert.equal(result.code, 0, result.stderr)
  assert.deepEqual(readRecords(warnFile).map((r) => r.msg), ['warn record', 'error record'])
  const all = readRecords(pinoFile).filter((r) => r.thread !== HUB_THREAD)
  assert.deepEqual(all.map((r) => [r.level, r.msg]), [[20, 'debug record'], [30, 'info record'], [40, 'warn record'], [50, 'error record']])
  const pretty = readFileSync(prettyFile, 'utf8').split('\n').filter((line) => !line.includes(HUB_THREAD))
  assert.deepEqual(pretty.map((line) => line.replace(/^\d\d:\d\d:\d\d\.\d{3} /, '').replace(/:\d+\]/, ':PID]')), [
    'DEBUG p[mix:PID] t[main:0] debug record',
    'INFO  p[mix:PID] t[main:0] info record',
    'WARN  p[mix:PID] t[main:0] warn record',
    'ERROR p[mix:PID] t[main:0] error record',
    ''
  ])
})

test('only the main thread may configure targets', async () => {
  const result = await runFixture('worker-passes-targets.ts')
  assert.equal(result.stdout, 'TypeError: threadlog: option "targets" can only be set in the main thread, which owns the hub\n')
})

test('a second, different targets configuration throws; the same one is accepted', async () => {
  const targets = [{ target: 'file', options: { path: tempFile() } }]
  // This test process's own hub must not become the root of the fixtures other tests spawn.
  createLogger({ targets, exportHub: false })
  createLogger({ targets: [...targets] })
  assert.throws(() => createLogger({ targets: [{ target: 'file', options: { path: tempFile() } }] }),
    { name: 'Error', message: /option "targets" differs/ })
  // Its file is opened (the hub runs) before the process exits and removes the temporary directory.
  await flushAll()
})
