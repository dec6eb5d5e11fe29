import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { chmodSync, createReadStream, readFileSync, writeFileSync } from 'node:fs'
import { text } from 'node:stream/consumers'
import { join } from 'node:path'
import { test } from 'node:test'
import { tempFile } from '../helpers/temp-file.ts'
import { laneLabels, readViewData, readViewFile, runViewCli } from '../helpers/view-cli.ts'

const MIXED = join(import.meta.dirname, '..', 'fixtures', 'cli', 'mixed-sources.ndjson')
const ALL_LANES = ['api:4242/main:0', 'api:4242/resize:3', 'api:4300/main:0']

test('view --help prints its usage and exits 0', async () => {
  const result = await runViewCli(['--help'])
  assert.equal(result.code, 0)
  assert.match(result.stdout, /^Usage: threadlog view \[options\] \[file \.\.\.\]\n/)
  assert.equal(result.stderr, '')
})

test('usage errors name the option and exit 2, in the filter command\'s words for its options', async () => {
  for (const [args, message] of [
    [['--bogus'], "unknown option '--bogus'"],
    [['--out'], "option '--out' needs a value"],
    [['--level', 'loud'], "option '--level' needs a level (trace, debug, info, warn, error, fatal or a number), got 'loud'"],
    [['--pid', '12x'], "option '--pid' needs a process id, got '12x'"],
    [['--where', 'reqId'], "option '--where' needs <path>=<glob> or <path>!=<glob> (path: keys between dots), got 'reqId'"]
  ] as const) {
    const result = await runViewCli([...args])
    assert.deepEqual({ code: result.code, stderr: result.stderr, stdout: result.stdout },
      { code: 2, stderr: `threadlog view: ${message}\nTry 'threadlog view --help' for more information.\n`, stdout: '' })
  }
})

test('standard input to standard output: one lane per thread, lines without a record skipped and counted', async () => {
  const result = await runViewCli(['--out', '-'], { input: readFileSync(MIXED, 'utf8') })
  assert.equal(result.code, 0)
  assert.equal(result.stderr, 'threadlog view: 6 records in 3 lanes → standard output, skipped 1 line without a record\n')
  const data = readViewData(result.stdout)
  assert.deepEqual(laneLabels(data), ALL_LANES)
  assert.deepEqual(data.processes.map(({ pid, depth }) => [pid, depth]), [[4242, 0], [4300, 1]])
  assert.equal(data.title, '-')
})

test("the filter command's selecting options leave records out before the page is made", async () => {
  const cases: Array<[string[], string[], number]> = [
    [['--level', 'warn'], ['api:4242/main:0', 'api:4242/resize:3', 'api:4300/main:0'], 3],
    [['--level', '50'], ['api:4242/main:0', 'api:4242/resize:3'], 2],
    [['--thread', 'res*'], ['api:4242/resize:3'], 2],
    [['--thread', '{nothing,resize}'], ['api:4242/resize:3'], 2],
    [['--thread', '3'], ['api:4242/resize:3'], 2],
    [['--pid', '4300'], ['api:4300/main:0'], 1],
    [['--proc', 'api', '--pid', '4242', '--level', 'error'], ['api:4242/main:0', 'api:4242/resize:3'], 2],
    [['--where', 'reqId=7f3a'], ['api:4242/resize:3'], 2],
    [['--grep', '^shut'], ['api:4242/main:0'], 1],
    [['--since', '2023-11-14T22:13:21.450Z', '--until', '2023-11-14T22:13:21.500Z'], ['api:4242/resize:3', 'api:4300/main:0'], 2],
    [['--filter', 'error,thread:resize=debug'], ['api:4242/main:0', 'api:4242/resize:3'], 3]
  ]
  for (const [args, lanes, records] of cases) {
    const out = tempFile('filtered.html')
    const result = await runViewCli([MIXED, '--out', out, ...args])
    assert.equal(result.code, 0, result.stderr)
    const data = readViewFile(out)
    assert.deepEqual({ lanes: laneLabels(data), records: data.dt.length }, { lanes, records }, args.join(' '))
  }
})

const LIFECYCLE = [
    { level: 20, time: 1, pid: 7, ppid: 1, proc: 'p', tid: 1, thread: 'threadlog-hub', threadId: 2, threadName: 'w', msg: 'thread started' },
    { level: 20, time: 2, pid: 7, ppid: 1, proc: 'p', tid: 2, thread: 'w', msg: 'debug noise' },
    { level: 30, time: 3, pid: 7, ppid: 1, proc: 'p', tid: 2, thread: 'w', msg: 'work' },
    { level: 20, time: 4, pid: 7, ppid: 1, proc: 'p', tid: 1, thread: 'threadlog-hub', threadId: 2, threadName: 'w', exitCode: 0, msg: 'thread exited' },
  { level: 20, time: 5, pid: 7, ppid: 1, proc: 'p', tid: 1, thread: 'threadlog-hub', threadId: 3, threadName: 'idle', exitCode: 0, msg: 'thread exited' }
].map((line) => JSON.stringify(line) + '\n').join('')

test('--level and --thread keep the lifecycle records that draw lifetimes, tested as the thread they describe', async () => {
  const result = await runViewCli(['--level', 'info', '--thread', 'w', '--out', '-'], { input: LIFECYCLE })
  const data = readViewData(result.stdout)
  assert.deepEqual(data.messages, ['thread started', 'work', 'thread exited'])
  assert.deepEqual(data.lanes.map(({ thread, start, end, startKnown, endKnown, exit }) => ({ thread, start, end, startKnown, endKnown, exit })),
    [{ thread: 'w', start: 1, end: 4, startKnown: true, endKnown: true, exit: 'exit code 0' }])
})

test('--level keeps the lane of a thread that only started and ended; --where and --grep leave it out', async () => {
  const threads = async (args: string[]) => readViewData((await runViewCli([...args, '--out', '-'], { input: LIFECYCLE })).stdout).lanes.map((lane) => lane.thread)
  assert.deepEqual(await threads(['--level', 'info']), ['w', 'idle'])
  assert.deepEqual(await threads(['--grep', 'work']), ['w'])
  assert.deepEqual(await threads(['--where', 'threadId=3']), [])
})

test('an unreadable file is reported and exits 2; the page holds the other files', async () => {
  const out = tempFile('partial.html')
  const missing = join(import.meta.dirname, 'no-such-file.ndjson')
  const result = await runViewCli([missing, MIXED, '--out', out])
  assert.equal(result.code, 2)
  assert.equal(result.stderr, `threadlog view: ${missing}: no such file or directory\n` +
    `threadlog view: 6 records in 3 lanes → ${out}, skipped 1 line without a record\n`)
  assert.deepEqual(laneLabels(readViewFile(out)), ALL_LANES)
})

test('--open hands the written page to $BROWSER', async () => {
  const fifo = tempFile('opened.fifo')
  assert.equal(spawnSync('mkfifo', [fifo]).status, 0)
  const browser = tempFile('browser.sh')
  writeFileSync(browser, `#!/bin/sh\nprintf '%s' "$1" > '${fifo}'\n`)
  chmodSync(browser, 0o755)
  // Opening a FIFO for reading waits for its writer: the test waits for the browser, not for time.
  const opened = text(createReadStream(fifo))
  const out = tempFile('opened.html')
  const result = await runViewCli([MIXED, '--out', out, '--open'], { env: { BROWSER: browser } })
  assert.equal(result.code, 0, result.stderr)
  assert.equal(await opened, out)
})
