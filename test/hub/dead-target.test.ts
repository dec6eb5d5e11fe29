import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { once } from 'node:events'
import { existsSync, readFileSync, watch } from 'node:fs'
import { createInterface } from 'node:readline'
import { test, type TestContext } from 'node:test'
import { startReceiver } from '../helpers/http-receiver.ts'
import { fixturePath, runFixture } from '../helpers/run-fixture.ts'
import { minimalEnv } from '../helpers/run-process.ts'
import { tempFile } from '../helpers/temp-file.ts'

const PER_THREAD = 5000

function countLines (file: string): number {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').length - 1 : 0
}

/** Resolves once `file` has `lines` lines: on each change the file watcher reports. */
async function untilLines (file: string, lines: number): Promise<void> {
  const watcher = watch(file)
  try {
    while (countLines(file) < lines) await once(watcher, 'change')
  } finally {
    watcher.close()
  }
}

/** Runs dead-target.ts against `node`; resolves with how long the file took, the exit and stderr. */
async function runAgainstDeadServer (t: TestContext, node: string, more = false) {
  const file = tempFile()
  const started = Date.now()
  const child = spawn(process.execPath, [fixturePath('dead-target.ts'), file, node, String(PER_THREAD)], { env: minimalEnv(), stdio: 'pipe' })
  t.after(() => { if (child.exitCode === null && child.signalCode === null) child.kill() })
  let stderr = ''
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => { stderr += chunk })
  const exited = once(child, 'exit')
  const [line] = await once(createInterface({ input: child.stdout }), 'line') as [string]
  assert.equal(line, 'logged')
  const logged = Date.now()
  await untilLines(file, 2 * PER_THREAD)
  // From the moment every record was logged: start-up (the hub loads the Elasticsearch client) aside.
  const fileMs = Date.now() - logged
  if (more) {
    // Once the failure is reported: as many again, which the failed target misses.
    while (!stderr.includes('failed and receives no more records')) await once(child.stderr, 'data')
    child.stdin.write('more\n')
    await untilLines(file, 3 * PER_THREAD)
  }
  const ending = Date.now()
  child.stdin.end()
  const [code] = await exited as [number | null]
  t.diagnostic(`started to logged ${logged - started} ms; file complete ${fileMs} ms after; exit took ${Date.now() - ending} ms; stderr: ${stderr.trim()}`)
  return { file, fileMs, exitMs: Date.now() - ending, code, stderr }
}

test('a target whose server answers 503: the file gets every record at once; one report names the target, the error and the count', async (t) => {
  const es = await startReceiver(t, () => ({ status: 503, headers: { 'content-type': 'application/json', 'x-elastic-product': 'Elasticsearch' }, body: '{"error":"unavailable","status":503}' }))
  const { file, fileMs, exitMs, code, stderr } = await runAgainstDeadServer(t, es.url, true)
  assert.equal(code, 0)
  assert.equal(countLines(file), 3 * PER_THREAD)
  // The file is complete while the dead target is still being retried.
  assert.ok(fileMs < 1000, `file complete ${fileMs} ms after the last record was logged`)
  assert.ok(es.requests.length > 0)
  const lines = stderr.trim().split('\n')
  assert.equal(lines.length, 2, stderr)
  assert.match(lines[0] as string, /^threadlog: target "pino-elasticsearch" failed and receives no more records: \{"error":"unavailable","status":503\}(; \d+ records queued for it are lost)?$/)
  // What it missed after the report, said once at exit.
  assert.equal(lines[1], `threadlog: target "pino-elasticsearch" missed ${PER_THREAD} records after it failed`)
  assert.ok(exitMs < 2000 + 1000, `exit took ${exitMs} ms`)
})

test('a target whose server is gone: the file gets every record at once; the exit waits at most flushTimeoutMs and says what the target had', async (t) => {
  const gone = await startReceiver(t, () => ({ status: 500 }))
  await gone.close()
  const { file, fileMs, exitMs, code, stderr } = await runAgainstDeadServer(t, gone.url)
  assert.equal(code, 0)
  assert.equal(countLines(file), 2 * PER_THREAD)
  assert.ok(fileMs < 1000, `file complete ${fileMs} ms after the last record was logged`)
  assert.ok(exitMs < 2000 + 1000, `exit took ${exitMs} ms`)
  const lines = stderr.trim().split('\n')
  assert.equal(lines.length, 1, stderr)
  assert.match(lines[0] as string, /^threadlog: target "pino-elasticsearch" (could not finish within the exit flush \(flushTimeoutMs 2000\): (\d+ records queued for it are lost; )?it had taken \d+ records and not confirmed their delivery|failed and receives no more records: connect ECONNREFUSED 127\.0\.0\.1:\d+(; \d+ records queued for it are lost)?)$/)
})

test('a hung target whose queue fills: the hub waits for it once, then drops for it, reported per burst; every record is accounted for', async () => {
  const file = tempFile()
  const hangs = fixturePath('transports/hangs.ts')
  const result = await runFixture('hub-load.ts', [], {
    FIXTURE: JSON.stringify({ file, workers: 4, perThread: 2000, pad: 600, end: 'return', flushTimeoutMs: 3000, extraTargets: [{ target: hangs }] })
  })
  assert.equal(result.code, 0, result.stderr)
  const total = 5 * 2000 + 9 // the app's records and the hub's 9 lifecycle records
  assert.equal(countLines(file), total)
  const lines = result.stderr.trim().split('\n')
  const dropped = lines.map((line) => new RegExp(`^threadlog: target "${hangs}" dropped (\\d+) records: it took none for 1000 ms while 4 MiB waited for it$`).exec(line))
  const unfinished = new RegExp(`^threadlog: target "${hangs}" could not finish within the exit flush \\(flushTimeoutMs 3000\\): (\\d+) records queued for it are lost; it had taken (\\d+) records and not confirmed their delivery$`).exec(lines.at(-1) as string)
  assert.ok(unfinished !== null, result.stderr)
  assert.ok(dropped.slice(0, -1).every((match) => match !== null), result.stderr)
  assert.ok(lines.length >= 2 && lines.length <= 4, `a report per burst, not per record: ${result.stderr}`)
  const droppedSum = dropped.slice(0, -1).reduce((sum, match) => sum + Number(match?.[1]), 0)
  assert.equal(droppedSum + Number(unfinished[1]) + Number(unfinished[2]), total)
})
