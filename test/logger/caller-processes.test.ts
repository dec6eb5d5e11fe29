import assert from 'node:assert/strict'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { after, before, test } from 'node:test'
import { fixturePath, runFixture, HUB_THREAD } from '../helpers/run-fixture.ts'
import { minimalEnv, runProcess } from '../helpers/run-process.ts'
import { callSiteOf } from '../helpers/source-position.ts'
import { parseNdjson } from '../helpers/read-records.ts'

const ROOT = join(import.meta.dirname, '..', '..')
const FIXTURE = fixturePath('caller-sites.ts')
// TypeScript 7's bin execs the native compiler; running it with this Node keeps PATH out of it.
const TSC = join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc')
// The calls in caller-sites.ts, as written in the .ts source and in tsc's output alike.
const MAIN_CALL = '{ job: job.id }, where'
const WORKER_CALL = "{ job: job.id, attempt }, 'worker'"

let outDir = ''
let compiled = ''

// The fixture compiled by tsc, with source maps, to a directory outside the repository.
before(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'threadlog-caller-'))
  const tsc = await runProcess(process.execPath, [TSC, '--ignoreConfig', '--outDir', outDir,
    '--rootDir', join(ROOT, 'test', 'fixtures'), '--sourceMap', '--module', 'nodenext', '--target', 'es2023',
    '--types', 'node', '--skipLibCheck', '--pretty', 'false', FIXTURE], { cwd: ROOT })
  assert.equal(tsc.code, 0, tsc.stdout + tsc.stderr)
  await writeFile(join(outDir, 'package.json'), '{ "type": "module" }')
  compiled = join(outDir, 'caller-sites.js')
})

after(async () => {
  await rm(outDir, { recursive: true, force: true })
})

/** `[thread, caller, fn]` of each application record, in a stable order. */
function locations (records: Array<Record<string, unknown>>): unknown[][] {
  return records.filter((r) => r.thread !== HUB_THREAD)
    .map((r) => [r.thread, r.caller, r.fn])
    .sort((a, b) => String(a[0]).localeCompare(String(b[0])))
}

async function runCompiled (nodeFlags: string[]) {
  const result = await runProcess(process.execPath, [...nodeFlags, compiled], {
    env: minimalEnv({ THREADLOG_ENTRY: pathToFileURL(join(ROOT, 'src', 'index.ts')).href })
  })
  assert.equal(result.code, 0, result.stderr)
  return stdoutRecords(result.stdout)
}

function stdoutRecords (stdout: string): Array<Record<string, unknown>> {
  return parseNdjson(stdout)
}

test('TypeScript through type stripping: main thread and worker callers are the .ts positions', async () => {
  const result = await runFixture('caller-sites.ts')
  assert.equal(result.code, 0, result.stderr)
  assert.deepEqual(locations(result.records()), [
    ['main', callSiteOf(FIXTURE, 'info', MAIN_CALL), 'dispatchJob'],
    ['runner', callSiteOf(FIXTURE, 'info', WORKER_CALL), 'runJob']
  ])
})

test('compiled JS under --enable-source-maps: callers are the original .ts positions, fn included', async () => {
  assert.deepEqual(locations(await runCompiled(['--enable-source-maps'])), [
    ['main', callSiteOf(FIXTURE, 'info', MAIN_CALL), 'dispatchJob'],
    ['runner', callSiteOf(FIXTURE, 'info', WORKER_CALL), 'runJob']
  ])
})

test('compiled JS without source maps: callers are the compiled file\'s positions', async () => {
  assert.deepEqual(locations(await runCompiled([])), [
    ['main', callSiteOf(compiled, 'info', MAIN_CALL), 'dispatchJob'],
    ['runner', callSiteOf(compiled, 'info', WORKER_CALL), 'runJob']
  ])
})
