import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { fixture, runCli } from '../helpers/run-cli.ts'

// threads.ndjson, line by line (1-based, as an editor shows them): line 5 is plain text; line 10
// has a label level and an ISO time; line 11 has tid, pid and level in a nested object.
const FILE = fixture('threads.ndjson')
const LINES = readFileSync(FILE, 'utf8').split('\n')

/** The fixture's lines with these 1-based numbers, as NDJSON output prints them. */
const lines = (...numbers: number[]): string => numbers.map((n) => LINES[n - 1] + '\n').join('')

async function select (...args: string[]): Promise<{ code: number | null, stdout: string, stderr: string }> {
  return runCli([...args, '--output', 'ndjson', FILE], { NO_COLOR: '1' })
}

test('--thread <n> selects a thread id; a nested tid does not count', async () => {
  assert.deepEqual(await select('--thread', '3'), { code: 0, stdout: lines(3, 6, 9), stderr: '' })
})

test('--thread <glob> selects thread names; a literal name must equal', async () => {
  assert.deepEqual(await select('--thread', 'resize-*'), { code: 0, stdout: lines(2, 7, 11), stderr: '' })
  assert.equal((await select('--thread', 'resize')).code, 1)
  assert.equal((await select('--thread', 'd?')).stdout, lines(3, 6, 9))
})

test('--pid selects a process id', async () => {
  assert.equal((await select('--pid', '4400')).stdout, lines(4, 8))
})

test('--proc selects process names by glob', async () => {
  assert.equal((await select('--proc', 'bill*')).stdout, lines(4, 8))
  assert.equal((await select('--proc', '{billing,none}')).stdout, lines(4, 8))
})

test('--level keeps that level and above, numeric or label levels alike', async () => {
  assert.equal((await select('--level', 'warn')).stdout, lines(6, 8, 10, 12))
  assert.equal((await select('--level', '50')).stdout, lines(8, 12))
  assert.equal((await select('--level', 'TRACE')).stdout, lines(1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12))
})

test('--where path=glob, nested paths, != and repeated tests (ANDed)', async () => {
  assert.equal((await select('--where', 'reqId=r1')).stdout, lines(2, 3, 6, 9, 11))
  assert.equal((await select('--where', 'req.method=GET')).stdout, lines(2, 11))
  assert.equal((await select('--where', 'reqId=r1', '--where', 'req.method!=GET')).stdout, lines(3, 6, 9))
  assert.equal((await select('--where', 'ms=8*')).stdout, lines(6))
  assert.equal((await select('--where', 'worker=2')).stdout, lines(10))
})

test('--since and --until take ISO times, inclusive; numeric and ISO record times alike', async () => {
  assert.equal((await select('--since', '2025-12-07T10:00:06Z', '--until', '2025-12-07T10:00:08Z')).stdout, lines(8, 9, 10))
})

test('--since with a duration ago: records from before are left out', async () => {
  assert.deepEqual(await select('--since', '5m'), { code: 1, stdout: '', stderr: '' })
  assert.equal((await select('--until', '5m')).stdout, lines(1, 2, 3, 4, 6, 7, 8, 9, 10, 11, 12))
})

test('--grep searches the message with a regular expression', async () => {
  assert.equal((await select('--grep', 'query|timeout$')).stdout, lines(3, 6, 8, 9))
})

test('--filter uses the directive grammar: the most specific term wins', async () => {
  assert.equal((await select('--filter', 'error,thread:db=debug')).stdout, lines(3, 6, 8, 9, 12))
  assert.equal((await select('--filter', 'warn,proc:billing=silent,tid:3=info')).stdout, lines(3, 6, 9, 10, 12))
  assert.equal((await select('--filter', 'silent,ctx.reqId:r2=trace')).stdout, lines(4, 8))
})

test('--filter without a bare level: --level is the threshold of the sources no term selects', async () => {
  assert.equal((await select('--filter', 'tid:3=warn')).stdout, lines(1, 2, 4, 6, 7, 8, 10, 11, 12))
  assert.equal((await select('--filter', 'tid:1=trace', '--level', 'error')).stdout, lines(2, 8, 11, 12))
})

test('every criterion must hold', async () => {
  assert.equal((await select('--proc', 'api', '--level', 'info', '--thread', 'main', '--until', '2025-12-07T10:00:09Z')).stdout, lines(1, 10))
})

test('exit code 1 and no output when no record is selected', async () => {
  assert.deepEqual(await select('--thread', '99'), { code: 1, stdout: '', stderr: '' })
})

test('an empty input selects nothing: exit code 1', async () => {
  assert.deepEqual(await runCli([], { NO_COLOR: '1' }, ''), { code: 1, stdout: '', stderr: '' })
})

test('in pretty output, lines that are not JSON pass through; --grep tests them whole', async () => {
  const pretty = await runCli(['--thread', '3', FILE], { NO_COLOR: '1' })
  assert.deepEqual(pretty, {
    code: 0,
    stdout: '10:00:02.000 INFO  p[api:4242] t[db:3] query started  reqId=r1\n' +
      'plain text from console.log\n' +
      '10:00:04.000 WARN  p[api:4242] t[db:3] slow query  reqId=r1 ms=812\n' +
      '10:00:07.000 INFO  p[api:4242] t[db:3] query done  reqId=r1\n',
    stderr: ''
  })
  const grep = await runCli(['--grep', 'console|declined', FILE], { NO_COLOR: '1' })
  assert.equal(grep.stdout, 'plain text from console.log\n10:00:06.000 ERROR p[billing:4400] t[main:0] card declined: timeout  reqId=r2\n')
})

test('only text lines matched by --grep: exit code 0', async () => {
  assert.deepEqual(await runCli(['--grep', 'b'], { NO_COLOR: '1' }, 'a\nb\n'), { code: 0, stdout: 'b\n', stderr: '' })
})
